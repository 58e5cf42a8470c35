"""The warehouse tables (contract §5) as SQLAlchemy Core metadata, plus the DDL of its views.

Contract names: region, indicator, etl_run, indicator_value, indicator_current (view),
validation_issue, and the seven school-level tables named like the input tables. Extra columns
beyond the contract are marked as such.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Boolean, CheckConstraint, Column, Double, ForeignKey, Index, Integer, MetaData, PrimaryKeyConstraint, Table, Text, false

# The catalogue refuses such codes when it is read (config.limits); the view checks them again as it is built.
from config.limits import MAX_CODE_BYTES, WIDE_KEY_COLUMNS
from schemas.issues import ISSUE_COLUMNS as ISSUE_DTYPES
from schemas.issues import SEVERITIES
from schemas.runs import RUN_STATUSES, RUN_TRIGGERS
from schemas.tables import PROVENANCE_COLUMNS, TABLES, staged_dtypes
from warehouse.coltypes import ID, POLARS_TO_SQL, UtcDateTime

metadata = MetaData()


def _in(column: str, values: tuple[str, ...]) -> str:
    # Quoted: "trigger" is a keyword on SQLite.
    return f'"{column}" IN ({", ".join(repr(v) for v in values)})'


region = Table(
    "region",
    metadata,
    Column("region_code", Text, primary_key=True),
    Column("name_zh", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("region_level", Text, nullable=False),
    # No foreign key: a region file may be replaced by one whose tree no longer holds an old parent.
    Column("parent_code", Text),
    # extra (schema step 8): a region whose children are not all listed, and the names its values are shown under.
    Column("is_partial", Boolean, nullable=False, server_default=false()),
    Column("partial_name_zh", Text),
    Column("partial_name_en", Text),
)
"""One row per region ever configured (upserted from the region file at every run, never deleted)."""

indicator = Table(
    "indicator",
    metadata,
    Column("indicator_code", Text, primary_key=True),
    Column("name_zh", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("section", Text, nullable=False),
    Column("section_name_zh", Text),  # extra: the section's names, for reports
    Column("section_name_en", Text),
    Column("kind", Text, nullable=False),
    Column("unit", Text, nullable=False),
    Column("unit_zh", Text, nullable=False),
    Column("unit_en", Text, nullable=False),
    Column("scale", Double, nullable=False),
    Column("levels", Text, nullable=False),
    Column("definition", Text, nullable=False),
    Column("base_code", Text),
    Column("stage", Text),
    Column("measure", Text),  # extra: the balance measure of a coefficient-of-variation code
    Column("report_figure", Double),
    Column("report_text", Text),
    Column("catalogue_order", Integer, nullable=False),  # extra: position in config/indicators.toml
)
"""One row per indicator code ever in the catalogue (upserted at every run, never deleted)."""

etl_run = Table(
    "etl_run",
    metadata,
    Column("run_id", Integer, primary_key=True, autoincrement=True),
    Column("year", Integer, nullable=False),
    Column("status", Text, nullable=False),
    Column("trigger", Text, nullable=False),
    Column("reason", Text),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime),
    Column("input_fingerprint", Text),
    Column("config_digest", Text),  # extra: region tree, rules, catalogue and engine code the run used (schema step 3)
    Column("values_added", Integer),
    Column("values_changed", Integer),
    Column("values_unchanged", Integer),
    Column("values_removed", Integer),  # extra: keys current before and absent from the new version
    Column("error_count", Integer),
    Column("warning_count", Integer),
    Column("flow_run_id", Text),
    Column("message", Text),
    Column("host", Text),  # extra: host and process that started the run, to tell a dead run from a live one
    Column("pid", Integer),
    Column("last_value_id", ID),  # extra (schema step 5): indicator_value's highest value_id when the run committed

    CheckConstraint(_in("status", RUN_STATUSES), name="ck_etl_run_status"),
    CheckConstraint(_in("trigger", RUN_TRIGGERS), name="ck_etl_run_trigger"),
)
"""One row per run of the yearly flow."""
Index("ix_etl_run_year", etl_run.c.year, etl_run.c.status)

indicator_value = Table(
    "indicator_value",
    metadata,
    Column("value_id", ID, primary_key=True, autoincrement=True),
    Column("year", Integer, nullable=False),
    Column("region_code", Text, ForeignKey("region.region_code"), nullable=False),
    Column("indicator_code", Text, ForeignKey("indicator.indicator_code"), nullable=False),
    Column("value", Double),
    Column("numerator", Double),
    Column("denominator", Double),
    Column("run_id", Integer, ForeignKey("etl_run.run_id"), nullable=False),
    Column("is_current", Boolean, nullable=False),
    # extra (schema step 5): a run that no longer has the key writes a row marking it removed, never current.
    Column("is_removed", Boolean, nullable=False, server_default=false()),
)
"""Every value ever loaded: one row per year per region per indicator per version that changed it.

A run writes rows only for the keys whose value, numerator or denominator it changed, added or
removed; the others keep their row. The version a run published is, per key, the latest row
written up to that run's ``etl_run.last_value_id`` (``warehouse.read.values_as_of``).
"""
Index(
    "uq_indicator_value_current",
    indicator_value.c.year,
    indicator_value.c.region_code,
    indicator_value.c.indicator_code,
    unique=True,
    sqlite_where=indicator_value.c.is_current,
    postgresql_where=indicator_value.c.is_current,
)
Index("ix_indicator_value_key", indicator_value.c.year, indicator_value.c.indicator_code, indicator_value.c.region_code)
Index("ix_indicator_value_run", indicator_value.c.run_id)

# source_row is INTEGER here (not the school tables' BIGINT) as the table was first created.
_ISSUE_SQL_TYPES = {"String": Text, "Int64": Integer}
_ISSUE_REQUIRED = ("severity", "rule")

validation_issue = Table(
    "validation_issue",
    metadata,
    Column("issue_id", ID, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("etl_run.run_id"), nullable=False),
    Column("year", Integer, nullable=False),
    *(Column(name, _ISSUE_SQL_TYPES[str(dtype)], nullable=name not in _ISSUE_REQUIRED) for name, dtype in ISSUE_DTYPES.items()),
    CheckConstraint(f"severity IN ({', '.join(repr(s) for s in SEVERITIES)})", name="ck_validation_issue_severity"),
)
"""Every error and warning of every run: one row per problem."""
Index("ix_validation_issue_run", validation_issue.c.run_id)

ISSUE_COLUMNS = tuple(ISSUE_DTYPES)
"""The issue frame's columns, in the team's order."""

input_file = Table(
    "input_file",
    metadata,
    Column("run_id", Integer, ForeignKey("etl_run.run_id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("source_file", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    PrimaryKeyConstraint("run_id", "source_file", name="pk_input_file"),
)
"""Extra (schema step 3): one row per input file per loading run, with its content hash — what a correction changed."""


county_reporting = Table(
    "county_reporting",
    metadata,
    Column("year", Integer, nullable=False),
    Column("county_code", Text, nullable=False),
    Column("table_name", Text, nullable=False),
    Column("is_reported", Boolean, nullable=False),
    Column("schools_missing_row", Integer, nullable=False),
    Column("run_id", Integer, nullable=False),
    PrimaryKeyConstraint("year", "county_code", "table_name", name="pk_county_reporting"),
)
"""Extra (schema step 6): one row per year × configured county × contract table of the year's current version:
whether the county sent any row of the table and how many of its schools miss one. reporting_status rolls it up."""


def _school_table(name: str) -> Table:
    spec = TABLES[name]
    dtypes = staged_dtypes(name)
    contract = [Column(c.name, POLARS_TO_SQL[dtypes[c.name]], nullable=c.name not in spec.key) for c in spec.columns]
    provenance = [Column(p, POLARS_TO_SQL[dtypes[p]]) for p in PROVENANCE_COLUMNS]
    return Table(
        name,
        metadata,
        Column("year", Integer, nullable=False),
        # No foreign key: the loader writes the run it opened in the same transaction, and checking
        # millions of rows against etl_run one by one doubled the load of a national year (schema step 4).
        Column("run_id", Integer, nullable=False),
        *contract,
        *provenance,
        PrimaryKeyConstraint("year", *spec.key, name=f"pk_{name}"),
        # A correction replaces the rows of the files it changed.
        Index(f"ix_{name}_source_file", "year", "source_file"),
        *_county_index(name),
    )


def _county_index(name: str) -> list[Index]:
    """The schools table's (year, county_code) index: a trace or a correction reads the schools of a few counties."""
    return [Index(f"ix_{name}_county", "year", "county_code")] if name == "schools" else []


SCHOOL_TABLES: dict[str, Table] = {name: _school_table(name) for name in TABLES}
"""The validated input of the current version of each year, one table per contract table, keyed by year and the table's key."""

YEAR_REPLACED_TABLES: tuple[Table, ...] = tuple(SCHOOL_TABLES.values())
"""Tables that hold one version per year: a successful run deletes the year's rows and inserts its own."""

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", UtcDateTime, nullable=False),
)
"""One row per migration step applied."""

load_lock = Table(
    "load_lock",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
)
"""One row per year ever loaded: a PostgreSQL run locks its year's row (SELECT … FOR UPDATE) for the length of its load.

A row lock needs UPDATE rights on the table, which the reader role (and a query's guard) never
has, so no query can take or hold a year's load lock (schema step 7).
"""

INDICATOR_CURRENT_SQL = """
CREATE VIEW indicator_current AS
SELECT
    v.year,
    v.region_code,
    r.region_level,
    COALESCE(r.partial_name_zh, r.name_zh) AS region_name_zh,
    COALESCE(r.partial_name_en, r.name_en) AS region_name_en,
    v.indicator_code,
    i.name_zh AS indicator_name_zh,
    i.name_en AS indicator_name_en,
    i.section,
    i.unit,
    i.unit_zh,
    i.unit_en,
    v.value,
    v.numerator,
    v.denominator,
    v.run_id,
    r.is_partial
FROM indicator_value v
JOIN region r ON r.region_code = v.region_code
JOIN indicator i ON i.indicator_code = v.indicator_code
WHERE v.is_current
"""
"""The current values with region level and names, indicator names and unit: one row per year per region per indicator.

A partial region (is_partial) is named as covering its listed children only (甘肃省（仅临夏州）), never as itself.
"""

RUN_HISTORY_SQL = """
CREATE VIEW run_history AS
SELECT
    r.run_id,
    r.year,
    r.status,
    r."trigger",
    r.reason,
    r.started_at,
    r.finished_at,
    r.values_added,
    r.values_changed,
    r.values_unchanged,
    r.values_removed,
    r.error_count,
    r.warning_count,
    COALESCE(v.value_rows, 0) AS value_rows,
    COALESCE(v.current_value_rows, 0) AS current_value_rows,
    COALESCE(q.issue_rows, 0) AS issue_rows,
    r.input_fingerprint,
    r.message,
    r.flow_run_id,
    r.host,
    r.pid
FROM etl_run r
LEFT JOIN (
    SELECT run_id, COUNT(*) AS value_rows, SUM(CASE WHEN is_current THEN 1 ELSE 0 END) AS current_value_rows
    FROM indicator_value
    GROUP BY run_id
) v ON v.run_id = r.run_id
LEFT JOIN (
    SELECT run_id, COUNT(*) AS issue_rows
    FROM validation_issue
    GROUP BY run_id
) q ON q.run_id = r.run_id
"""
"""The run log with what each run wrote: one row per run, with its value rows (all, and still current) and stored issues."""

REPORTING_STATUS_SQL = """
CREATE VIEW reporting_status AS
WITH RECURSIVE ancestry (county_code, region_code) AS (
    SELECT region_code, region_code FROM region WHERE region_level = 'county'
    UNION ALL
    SELECT a.county_code, r.parent_code
    FROM ancestry a
    JOIN region r ON r.region_code = a.region_code
    WHERE r.parent_code IS NOT NULL
)
SELECT
    c.year,
    a.region_code,
    g.region_level,
    g.name_zh AS region_name_zh,
    g.name_en AS region_name_en,
    c.table_name,
    COUNT(*) AS counties_expected,
    SUM(CASE WHEN c.is_reported THEN 1 ELSE 0 END) AS counties_reported,
    SUM(c.schools_missing_row) AS schools_missing_row,
    (SUM(CASE WHEN c.is_reported THEN 0 ELSE 1 END) = 0 AND SUM(c.schools_missing_row) = 0) AS is_complete
FROM county_reporting c
JOIN ancestry a ON a.county_code = c.county_code
JOIN region g ON g.region_code = a.region_code
GROUP BY c.year, a.region_code, g.region_level, g.name_zh, g.name_en, c.table_name
"""
"""Completeness of the current version of each year: one row per year × region (every level) × contract table."""

VIEWS: dict[str, str] = {
    "indicator_current": INDICATOR_CURRENT_SQL,
    "run_history": RUN_HISTORY_SQL,
    "reporting_status": REPORTING_STATUS_SQL,
}
"""Every fixed view's DDL by name, created by the migrations (indicator_wide is generated: see indicator_wide_sql)."""

VIEW_REQUIRES: dict[str, str] = {"reporting_status": "county_reporting"}
"""Views over a table that a later migration step adds: created once that table exists (an old warehouse replays earlier steps first)."""

INDICATOR_WIDE = "indicator_wide"
"""The view of current values with one column per indicator code, regenerated from the indicator table."""

QUERYABLE_RELATIONS = frozenset({*metadata.tables, *VIEWS, INDICATOR_WIDE})
"""Every table and view of the warehouse: what `edustat query` may read, and what the reader role may SELECT."""



def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def indicator_wide_sql(codes: Sequence[str], quote: Callable[[str], str]) -> str:
    """DDL of indicator_wide: one row per year per region with current values, one column per code of ``codes`` (in that order).

    ``quote`` quotes an identifier for the target dialect. Raises ValueError for a code that
    collides with a key column or is too long to be a column name on PostgreSQL.
    """
    for code in codes:
        if code in WIDE_KEY_COLUMNS:
            raise ValueError(f"indicator code {code!r} collides with a key column of {INDICATOR_WIDE}")
        if len(code.encode()) > MAX_CODE_BYTES:
            raise ValueError(f"indicator code {code!r} is longer than {MAX_CODE_BYTES} bytes, too long for a column of {INDICATOR_WIDE}")
    # One current row per key (partial unique index), so MAX picks that row's value.
    pivots = "".join(f",\n    MAX(CASE WHEN v.indicator_code = {_sql_literal(code)} THEN v.value END) AS {quote(code)}" for code in codes)
    return (
        f"CREATE VIEW {INDICATOR_WIDE} AS\n"
        "SELECT\n    v.year,\n    v.region_code,\n    r.region_level,\n"
        "    COALESCE(r.partial_name_zh, r.name_zh) AS region_name_zh,\n    COALESCE(r.partial_name_en, r.name_en) AS region_name_en,\n"
        "    r.is_partial"
        f"{pivots}\n"
        "FROM indicator_value v\n"
        "JOIN region r ON r.region_code = v.region_code\n"
        "WHERE v.is_current\n"
        "GROUP BY v.year, v.region_code, r.region_level, r.name_zh, r.name_en, r.partial_name_zh, r.partial_name_en, r.is_partial\n"
    )

view_metadata = MetaData()
"""Typed stand-ins of the views, for SELECTs only: never created as tables."""

indicator_current = Table(
    "indicator_current",
    view_metadata,
    Column("year", Integer),
    Column("region_code", Text),
    Column("region_level", Text),
    Column("region_name_zh", Text),
    Column("region_name_en", Text),
    Column("indicator_code", Text),
    Column("indicator_name_zh", Text),
    Column("indicator_name_en", Text),
    Column("section", Text),
    Column("unit", Text),
    Column("unit_zh", Text),
    Column("unit_en", Text),
    Column("value", Double),
    Column("numerator", Double),
    Column("denominator", Double),
    Column("run_id", Integer),
    Column("is_partial", Boolean),
)
"""The indicator_current view's columns, typed, for selects."""


reporting_status = Table(
    "reporting_status",
    view_metadata,
    Column("year", Integer),
    Column("region_code", Text),
    Column("region_level", Text),
    Column("region_name_zh", Text),
    Column("region_name_en", Text),
    Column("table_name", Text),
    Column("counties_expected", Integer),
    Column("counties_reported", Integer),
    Column("schools_missing_row", Integer),
    Column("is_complete", Boolean),
)
"""The reporting_status view's columns, typed, for selects."""
