"""Tiny test data for the warehouse tier: a region tree, a catalogue, and builders of values and staged frames."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import polars as pl
import sqlalchemy as sa

from config import Catalogue, Indicator, Region, RegionTree
from schemas.staged import StagedTables
from schemas.tables import TABLES, staged_dtypes
from warehouse.engine import make_engine
from warehouse.migrate import migrate
from warehouse.runs import start_run
from warehouse.sync import sync_catalogue, sync_regions

POSTGRES_ENV = "EDUSTAT_TEST_POSTGRES_URL"

REGIONS = RegionTree(
    regions=(
        Region(code="620000", name_zh="甘肃省", name_en="Gansu", level="province"),
        Region(code="622900", name_zh="临夏回族自治州", name_en="Linxia", level="prefecture", parent_code="620000"),
        Region(code="622901", name_zh="临夏市", name_en="Linxia City", level="county", parent_code="622900"),
        Region(code="622921", name_zh="临夏县", name_en="Linxia County", level="county", parent_code="622900"),
    )
)


def _indicator(code: str, kind: str, unit: str, **extra: object) -> Indicator:
    return Indicator(
        code=code,
        name_zh=f"{code}中文",
        name_en=f"{code} in English",
        section="demo",
        kind=kind,
        unit=unit,
        unit_zh="%" if unit == "percent" else "人",
        unit_en="%" if unit == "percent" else "persons",
        scale=100 if unit == "percent" else 1,
        definition=f"definition of {code}",
        **extra,
    )


CATALOGUE = Catalogue(
    indicators=(
        _indicator("ratio_a", "ratio", "percent", report=90.0),
        _indicator("sum_b", "sum", "persons"),
        _indicator("sum_b_growth", "growth", "percent", base="sum_b"),
    ),
    sections={"demo": {"name_zh": "示例", "name_en": "Demo"}},
    report_region="622900",
    report_year=2020,
)


@contextmanager
def postgres_schema_engine(url: str) -> Iterator[sa.Engine]:
    """An engine whose search_path is a fresh schema on the PostgreSQL at ``url``, dropped afterwards."""
    admin = make_engine(url)
    schema = f"wh_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(admin.url.update_query_dict({"options": f"-csearch_path={schema}"}))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def prepare(engine: sa.Engine) -> sa.Engine:
    """Migrate ``engine`` and sync the tiny region tree and catalogue into it."""
    migrate(engine)
    with engine.begin() as conn:
        sync_catalogue(conn, CATALOGUE)
        sync_regions(conn, REGIONS)
    return engine


def new_run(engine: sa.Engine, year: int, fingerprint: str = "fp", reason: str = "test") -> int:
    """A 'running' manual run of ``year``."""
    return start_run(engine, year, "manual", reason, fingerprint, None)


def values_frame(rows: list[tuple[str, str, float | None, float | None, float | None]]) -> pl.DataFrame:
    """A values frame from (region_code, indicator_code, value, numerator, denominator) tuples."""
    schema = {
        "region_code": pl.String,
        "indicator_code": pl.String,
        "value": pl.Float64,
        "numerator": pl.Float64,
        "denominator": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def table_frame(table: str, rows: list[dict[str, object]]) -> pl.DataFrame:
    """A staged frame of ``table``: given values, every other column NULL, typed per staged_dtypes."""
    dtypes = {name: getattr(pl, dtype) for name, dtype in staged_dtypes(table).items()}
    return pl.DataFrame([{name: row.get(name) for name in dtypes} for row in rows], schema=dtypes)


def staged_tables(schools: list[tuple[str, str]], students: dict[str, int] | None = None) -> StagedTables:
    """Staged tables for (school_code, school_name) schools of county 622901, one primary enrollment row each."""
    students = students or {}
    provenance = {"source_file": "622901.xlsx", "source_sheet": "学校名录"}
    frames: dict[str, pl.DataFrame] = {name: table_frame(name, []) for name in TABLES}
    frames["schools"] = table_frame(
        "schools",
        [
            {"school_code": code, "school_name": name, "county_code": "622901", "school_type_code": "211", "ownership": "public", "source_row": row, **provenance}
            for row, (code, name) in enumerate(schools, start=2)
        ],
    )
    frames["enrollment"] = table_frame(
        "enrollment", [{"school_code": code, "stage": "primary", "students": students.get(code, 100)} for code, _ in schools]
    )
    frames["population"] = table_frame("population", [{"county_code": "622901", "age_3_5": 1000}])
    return StagedTables(**frames)
