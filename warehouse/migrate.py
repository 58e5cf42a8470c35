"""Create or upgrade the warehouse schema: an ordered list of migration steps and the version table.

A fresh database is created from the current metadata in one step and stamped with the latest
version; a database at an older version replays each later step in order. Everything runs in one
transaction (both SQLite and PostgreSQL have transactional DDL) under a lock, so two runs that
start together migrate once. Safe to call at every run start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Table, func, insert, inspect, select, text
from sqlalchemy.schema import CreateTable

from warehouse.coltypes import utc_now
from warehouse.engine import is_sqlite, write_transaction
from warehouse.errors import WarehouseError
from warehouse.reader import READER_ROLE, ensure_reader_role, grant_reader, has_reader_role
from warehouse.schema import (
    INDICATOR_WIDE,
    SCHOOL_TABLES,
    county_reporting,
    VIEW_REQUIRES,
    VIEWS,
    indicator,
    indicator_wide_sql,
    input_file,
    load_lock,
    metadata,
    schema_version,
)


@dataclass(frozen=True)
class Migration:
    """One schema step: the version it brings the warehouse to and the DDL that does it."""

    version: int
    description: str
    apply: Callable[[Connection], None]


def create_views(conn: Connection) -> None:
    """(Re)create every view: the fixed ones from their plain DDL, then indicator_wide from the indicator table."""
    # The views read region's partial columns (step 8): an older warehouse replaying step 2 or 6 gets them first.
    _add_partial_columns(conn)
    for name, ddl in VIEWS.items():
        conn.execute(text(f"DROP VIEW IF EXISTS {name}"))
        if name in VIEW_REQUIRES and not inspect(conn).has_table(VIEW_REQUIRES[name]):
            continue
        conn.execute(text(ddl))
    refresh_indicator_wide(conn)


def refresh_indicator_wide(conn: Connection) -> list[str]:
    """(Re)create indicator_wide with one column per code of the indicator table (catalogue order); returns those codes.

    Call it inside the transaction that changed the indicator table (sync_catalogue), so that the
    view always has a column for every code ever synced.
    """
    codes = list(conn.scalars(select(indicator.c.indicator_code).order_by(indicator.c.catalogue_order, indicator.c.indicator_code)))
    try:
        ddl = indicator_wide_sql(codes, conn.dialect.identifier_preparer.quote_identifier)
    except ValueError as error:
        raise WarehouseError(f"cannot build view {INDICATOR_WIDE}: {error}") from error
    conn.exec_driver_sql(f"DROP VIEW IF EXISTS {INDICATOR_WIDE}")
    # exec_driver_sql: the DDL holds quoted literals that text() would scan for bind parameters.
    conn.exec_driver_sql(ddl)
    if has_reader_role(conn) and not conn.scalar(text(f"SELECT has_table_privilege('{READER_ROLE}', '{INDICATOR_WIDE}', 'SELECT')")):
        # Default privileges cover a view this login re-creates; one made by another login needs the grant again.
        grant_reader(conn, (INDICATOR_WIDE,))
    return codes


def _create_all(conn: Connection) -> None:
    metadata.create_all(conn, checkfirst=True)
    create_views(conn)


def _add_corrections_support(conn: Connection) -> None:
    """Step 3: what incremental corrections need — input file hashes, the run's config digest, county-first indexes."""
    if "config_digest" not in {column["name"] for column in inspect(conn).get_columns("etl_run")}:
        conn.execute(text("ALTER TABLE etl_run ADD COLUMN config_digest TEXT"))
    input_file.create(conn, checkfirst=True)
    conn.execute(text("DROP INDEX IF EXISTS ix_indicator_contribution_key"))
    if inspect(conn).has_table("indicator_contribution"):
        conn.execute(text("CREATE INDEX IF NOT EXISTS ix_indicator_contribution_county ON indicator_contribution (year, county_code, indicator_code)"))
    for index in (i for t in SCHOOL_TABLES.values() for i in t.indexes if i.name.endswith("_source_file")):
        index.create(conn, checkfirst=True)


def _lighten_school_tables(conn: Connection) -> None:
    """Step 4: contributions are traced on demand instead of stored; school tables lose the run_id foreign key.

    At national scale the stored contributions were ten million rows per year and the foreign key
    check on every school row doubled the load; both are derived or guaranteed by the loader.
    """
    conn.execute(text("DROP VIEW IF EXISTS indicator_contribution_detail"))
    conn.execute(text("DROP TABLE IF EXISTS indicator_contribution"))
    for table in SCHOOL_TABLES.values():
        _drop_run_foreign_key(conn, table)
        for index in table.indexes:
            index.create(conn, checkfirst=True)


def _drop_run_foreign_key(conn: Connection, table: Table) -> None:
    """``table`` without its foreign key on etl_run, rows kept: SQLite rebuilds the table, PostgreSQL drops the constraint."""
    keys = [key for key in inspect(conn).get_foreign_keys(table.name) if key["referred_table"] == "etl_run"]
    if not keys:
        return
    if not is_sqlite(conn):
        for key in keys:
            conn.execute(text(f'ALTER TABLE {table.name} DROP CONSTRAINT "{key["name"]}"'))
        return
    # SQLite cannot drop a constraint: copy the rows into the table as it is now defined, then swap.
    rebuilt = f"{table.name}__step4"
    ddl = str(CreateTable(table).compile(dialect=conn.dialect)).replace(f"CREATE TABLE {table.name} (", f"CREATE TABLE {rebuilt} (", 1)
    conn.exec_driver_sql(ddl)
    columns = ", ".join(column.name for column in table.columns)
    conn.exec_driver_sql(f"INSERT INTO {rebuilt} ({columns}) SELECT {columns} FROM {table.name}")
    conn.exec_driver_sql(f"DROP TABLE {table.name}")
    conn.exec_driver_sql(f"ALTER TABLE {rebuilt} RENAME TO {table.name}")


def _add_reporting_status(conn: Connection) -> None:
    """Step 6: the completeness of each year's current version (county_reporting) and its roll-up view reporting_status.

    A year loaded before this step has no rows until its next successful run: reporting_status then
    has no row for it (unknown, never "complete").
    """
    county_reporting.create(conn, checkfirst=True)
    create_views(conn)


def _version_changed_values_only(conn: Connection) -> None:
    """Step 5: runs write only the values they change; removals are marked, and each run records where its writes ended.

    A run loaded before this step wrote every value of its year, so its version is exactly its own
    rows: its ``last_value_id`` is the highest value_id it wrote.
    """
    columns = {column["name"] for column in inspect(conn).get_columns("indicator_value")}
    if "is_removed" not in columns:
        conn.execute(text("ALTER TABLE indicator_value ADD COLUMN is_removed BOOLEAN NOT NULL DEFAULT false"))
    if "last_value_id" not in {column["name"] for column in inspect(conn).get_columns("etl_run")}:
        kind = "INTEGER" if is_sqlite(conn) else "BIGINT"
        conn.execute(text(f"ALTER TABLE etl_run ADD COLUMN last_value_id {kind}"))
    conn.execute(
        text(
            "UPDATE etl_run SET last_value_id = (SELECT max(v.value_id) FROM indicator_value v WHERE v.run_id = etl_run.run_id) "
            "WHERE status = 'succeeded' AND last_value_id IS NULL"
        )
    )


def _add_reader_and_load_lock(conn: Connection) -> None:
    """Step 6: the load_lock table (a year's load lock a reader cannot take) and, on PostgreSQL, the reader role and its grants."""
    load_lock.create(conn, checkfirst=True)
    ensure_reader_role(conn)


def _add_partial_columns(conn: Connection) -> None:
    """region.is_partial, partial_name_zh and partial_name_en, each added when the table lacks it."""
    columns = {column["name"] for column in inspect(conn).get_columns("region")}
    if "is_partial" not in columns:
        conn.execute(text("ALTER TABLE region ADD COLUMN is_partial BOOLEAN NOT NULL DEFAULT false"))
    for name in ("partial_name_zh", "partial_name_en"):
        if name not in columns:
            conn.execute(text(f"ALTER TABLE region ADD COLUMN {name} TEXT"))


def _add_partial_regions(conn: Connection) -> None:
    """Step 8: partial regions (contract §1): region.is_partial and its shown names; the views name such a region as partial.

    Regions keep is_partial false until the next run syncs the region file.
    """
    create_views(conn)
    # Views made again by another login than the one whose default privileges cover them need the grant again.
    grant_reader(conn, tuple(VIEWS))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "create every table, index and view", _create_all),
    Migration(2, "analyst views: indicator_wide, indicator_contribution_detail, run_history", create_views),
    Migration(3, "incremental corrections: input_file, etl_run.config_digest, county and source-file indexes", _add_corrections_support),
    Migration(4, "contributions traced on demand (indicator_contribution dropped); school tables without the run_id foreign key", _lighten_school_tables),
    Migration(5, "versions hold changed values only: indicator_value.is_removed, etl_run.last_value_id", _version_changed_values_only),
    Migration(6, "completeness: county_reporting and the view reporting_status", _add_reporting_status),
    Migration(7, "load_lock rows instead of advisory locks; the reader role edustat_reader with SELECT on the warehouse", _add_reader_and_load_lock),
    Migration(8, "partial regions: region.is_partial, partial_name_zh, partial_name_en; indicator_current and indicator_wide show them", _add_partial_regions),
)
"""Every schema step, in version order; append new steps, never edit applied ones."""

LATEST_VERSION = MIGRATIONS[-1].version


def schema_version_of(conn: Connection) -> int:
    """The version the warehouse is at: 0 when it holds no schema yet."""
    schema_version.create(conn, checkfirst=True)
    return conn.scalar(select(func.max(schema_version.c.version))) or 0


def migrate(engine: Engine) -> int:
    """Bring the warehouse to the latest schema version and return that version; a no-op when it is there."""
    with write_transaction(engine) as conn:
        if not is_sqlite(conn):
            # Serialises concurrent first runs; keyed by schema so that warehouses in other schemas do not wait.
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(coalesce(current_schema(), '') || '.edustat_migrate'))"))
        current = schema_version_of(conn)
        if current > LATEST_VERSION:
            raise WarehouseError(
                f"the warehouse schema is at version {current}, newer than this edustat knows ({LATEST_VERSION}); "
                "upgrade edustat / 仓库结构版本比本程序新, 请升级 edustat"
            )
        if current == 0:
            _create_all(conn)
            ensure_reader_role(conn)
            _stamp(conn, LATEST_VERSION, f"created at version {LATEST_VERSION}")
            return LATEST_VERSION
        for step in MIGRATIONS:
            if step.version > current:
                step.apply(conn)
                _stamp(conn, step.version, step.description)
        if current == LATEST_VERSION and has_reader_role(conn) and not _is_reader_granted(conn):
            # The role was created after this schema was migrated (by an administrator): grant it now.
            grant_reader(conn)
        return LATEST_VERSION


def _is_reader_granted(conn: Connection) -> bool:
    return bool(conn.scalar(text(f"SELECT has_schema_privilege('{READER_ROLE}', current_schema(), 'USAGE')")))


def _stamp(conn: Connection, version: int, description: str) -> None:
    conn.execute(insert(schema_version).values(version=version, description=description, applied_at=utc_now()))
