"""`python -m crawler` runs the command line, like the `compoundwatch` script."""

from crawler.cli import main

main()
