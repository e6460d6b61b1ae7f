"""The web view for the newsroom (`compoundwatch serve`); see docs/web.md."""
