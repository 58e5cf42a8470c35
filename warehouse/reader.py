"""The reader role of a PostgreSQL warehouse: SELECT on its tables and views, and nothing else.

`edustat query` connects as a login in this role (EDUSTAT_QUERY_URL). Roles belong to the whole
PostgreSQL cluster while warehouses live in schemas, so creating the role is idempotent and safe
against a run in another schema creating it at the same moment; the grants are per schema and
are given again at every migration and whenever indicator_wide is re-created. A warehouse owner
without the right to create roles gets a notice instead: a database administrator creates the
role once, and the next run grants it.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from warehouse.engine import is_sqlite

READER_ROLE = "edustat_reader"
"""The NOLOGIN group role whose members may read, and only read, every warehouse on the cluster."""

_CREATE_ROLE = f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER_ROLE}') THEN
        CREATE ROLE {READER_ROLE} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
EXCEPTION
    -- Another schema's migration created it between the check and the CREATE.
    WHEN duplicate_object OR unique_violation THEN NULL;
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'cannot create role {READER_ROLE}: ask a database administrator to run CREATE ROLE {READER_ROLE} NOLOGIN';
END
$$
"""


def has_reader_role(conn: Connection) -> bool:
    """Whether the cluster has the reader role (always False on SQLite, which has no roles)."""
    if is_sqlite(conn):
        return False
    return bool(conn.scalar(text("SELECT count(*) FROM pg_roles WHERE rolname = :name"), {"name": READER_ROLE}))


def ensure_reader_role(conn: Connection) -> None:
    """Create the reader role if the cluster lacks it, then grant it read access to this schema's warehouse (PostgreSQL only)."""
    if is_sqlite(conn):
        return
    conn.exec_driver_sql(_CREATE_ROLE)
    grant_reader(conn)


def grant_reader(conn: Connection, relations: tuple[str, ...] | None = None) -> None:
    """Give the reader role USAGE on the current schema and SELECT on its tables and views (``relations`` only, when given).

    Default privileges make tables and views this login creates later in the schema readable too.
    A no-op on SQLite and when the role does not exist.
    """
    if not has_reader_role(conn):
        return
    if relations is not None:
        for name in relations:
            conn.exec_driver_sql(f'GRANT SELECT ON "{name}" TO {READER_ROLE}')
        return
    schema = conn.scalar(text("SELECT current_schema()"))
    quoted = conn.dialect.identifier_preparer.quote_identifier(schema)
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {quoted} TO {READER_ROLE}")
    conn.exec_driver_sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA {quoted} TO {READER_ROLE}")
    conn.exec_driver_sql(f"ALTER DEFAULT PRIVILEGES IN SCHEMA {quoted} GRANT SELECT ON TABLES TO {READER_ROLE}")
