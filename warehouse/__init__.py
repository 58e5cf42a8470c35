"""The warehouse: SQLAlchemy Core schema, migrations, loading and reading, on SQLite and PostgreSQL (see README.md here)."""
