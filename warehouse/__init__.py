"""The warehouse: SQLAlchemy Core schema, migrations, loading and reading, on SQLite and PostgreSQL (docs/explanation/warehouse.md has its design)."""
