"""Storage: typed models, the engine and session factory, migrations, queries.

Depends on nothing else of compoundwatch.
"""
