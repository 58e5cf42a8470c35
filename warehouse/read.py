"""Read the warehouse into polars frames: current values, a year's values for growth, history and run comparisons."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlalchemy import Double, Engine, case, false, func, select
from sqlalchemy.exc import SQLAlchemyError

from config import LEVEL_ORDER
from schemas.staged import StagedTables, empty_table
from schemas.tables import TABLES, numeric_columns, staged_dtypes
from warehouse.bulk import in_chunks
from warehouse.engine import get_engine
from warehouse.frames import fetch_frame
from warehouse.schema import SCHOOL_TABLES, etl_run, indicator, indicator_current, indicator_value, reporting_status

_LEVEL_RANK = case({level: rank for rank, level in enumerate(LEVEL_ORDER)}, value=indicator_current.c.region_level, else_=len(LEVEL_ORDER))


def current_values(engine: Engine, year: int, level: str | None = None) -> pl.DataFrame:
    """The current values of ``year`` from indicator_current: one row per region per indicator, top level first, catalogue order within a region."""
    statement = (
        select(*indicator_current.c)
        .join(indicator, indicator.c.indicator_code == indicator_current.c.indicator_code)
        .where(indicator_current.c.year == year)
        .order_by(_LEVEL_RANK, indicator_current.c.region_code, indicator.c.catalogue_order, indicator_current.c.indicator_code)
    )
    if level is not None:
        statement = statement.where(indicator_current.c.region_level == level)
    with engine.connect() as conn:
        return fetch_frame(conn, statement)


def year_reporting_status(engine: Engine, year: int) -> pl.DataFrame:
    """The reporting_status rows of ``year``: one row per region (every level) × table; empty when the year has none."""
    c = reporting_status.c
    statement = (
        select(c.region_code, c.region_level, c.table_name, c.counties_expected, c.counties_reported, c.schools_missing_row, c.is_complete)
        .where(c.year == year)
        .order_by(c.region_code, c.table_name)
    )
    with engine.connect() as conn:
        return fetch_frame(conn, statement).with_columns(pl.col("is_complete").cast(pl.Boolean))


def year_values(engine: Engine, year: int) -> pl.DataFrame | None:
    """The current values of ``year`` (region_code, region_level, indicator_code, value, numerator, denominator), one row per region per indicator; None when the year is not loaded."""
    c = indicator_current.c
    statement = (
        select(c.region_code, c.region_level, c.indicator_code, c.value, c.numerator, c.denominator)
        .where(c.year == year)
        .order_by(c.region_code, c.indicator_code)
    )
    with engine.connect() as conn:
        frame = fetch_frame(conn, statement)
    return frame if frame.height else None


def previous_enrollment(engine: Engine, year: int, school_codes: Sequence[str] | None = None) -> pl.DataFrame:
    """Students of year − 1 as currently loaded (school_code, stage, students), one row per school per stage; empty when year − 1 is not loaded.

    With ``school_codes``, only those schools' rows. Runs read ``previous_year`` since the outliers; this is what they
    read before, which benchmarks.checks times beside it.
    """
    table = SCHOOL_TABLES["enrollment"]
    statement = (
        select(table.c.school_code, table.c.stage, table.c.students)
        .where(table.c.year == year - 1)
        .order_by(table.c.school_code, table.c.stage)
    )
    with engine.connect() as conn:
        if school_codes is None:
            return fetch_frame(conn, statement)
        codes = sorted(set(school_codes))
        frames = [fetch_frame(conn, statement.where(table.c.school_code.in_(chunk))) for chunk in in_chunks(codes)]
        return pl.concat([fetch_frame(conn, statement.where(false())), *frames]).sort("school_code", "stage")


PREVIOUS_YEAR_TABLES = ("enrollment", "staff", "security", "facilities", "funding")
"""School-level tables whose previous-year rows the outlier warnings compare with (contract §3 "Outliers")."""


def previous_year(engine: Engine, year: int, school_codes: Sequence[str] | None = None) -> dict[str, pl.DataFrame]:
    """The school-level tables of year − 1 as currently loaded, each with its key and numeric columns (one row per school, or
    school × stage); each empty when year − 1 is not loaded. With ``school_codes``, only those schools' rows."""
    numeric = numeric_columns()
    frames = {}
    with engine.connect() as conn:
        for name in PREVIOUS_YEAR_TABLES:
            table = SCHOOL_TABLES[name]
            keys = [c for c in ("school_code", "stage") if c in TABLES[name].column_names]
            statement = select(*(table.c[c] for c in (*keys, *numeric[name]))).where(table.c.year == year - 1).order_by(*(table.c[k] for k in keys))
            if school_codes is None:
                frames[name] = fetch_frame(conn, statement)
                continue
            codes = sorted(set(school_codes))
            parts = [fetch_frame(conn, statement.where(table.c.school_code.in_(chunk))) for chunk in in_chunks(codes)]
            frames[name] = pl.concat([fetch_frame(conn, statement.where(false())), *parts]).sort(keys)
    return frames


def previous_year_if_loaded(warehouse_url: str, year: int) -> dict[str, pl.DataFrame] | None:
    """The previous year's school-level tables when the warehouse at ``warehouse_url`` has them, else None."""
    try:
        return previous_year(get_engine(warehouse_url), year)
    except SQLAlchemyError:
        # No warehouse yet (or no schema): the year-on-year warnings need a previous year, so they are skipped.
        return None


def history(engine: Engine, year: int, indicator_code: str | None = None, region_code: str | None = None) -> pl.DataFrame:
    """Every version of each value of ``year``: one row per region per indicator per loading run, with the run, its reason and the previous value.

    run_year differs from year when a rerun of year − 1 refreshed a growth indicator.
    """
    v = indicator_value.c
    key = (v.year, v.region_code, v.indicator_code)
    statement = (
        select(
            v.year,
            v.region_code,
            v.indicator_code,
            v.run_id,
            etl_run.c.year.label("run_year"),
            etl_run.c.started_at,
            etl_run.c.trigger,
            etl_run.c.reason,
            etl_run.c.status,
            v.is_current,
            v.is_removed,
            v.value,
            func.lag(v.value, type_=Double).over(partition_by=key, order_by=v.value_id).label("previous_value"),
            v.numerator,
            v.denominator,
        )
        .join(etl_run, etl_run.c.run_id == v.run_id)
        .join(indicator, indicator.c.indicator_code == v.indicator_code)
        .where(v.year == year)
        .order_by(v.region_code, indicator.c.catalogue_order, v.indicator_code, v.value_id)
    )
    if indicator_code is not None:
        statement = statement.where(v.indicator_code == indicator_code)
    if region_code is not None:
        statement = statement.where(v.region_code == region_code)
    with engine.connect() as conn:
        return fetch_frame(conn, statement)


def published_values(engine: Engine, year: int, run_id: int) -> pl.DataFrame:
    """The values of ``year`` as they stood when run ``run_id`` committed: one row per region per indicator (value_id, VALUE columns, run_id).

    Per key, the latest row written up to the run's ``last_value_id`` unless it marks the key removed;
    every row of a year is written under that year's lock, so value_ids follow the order of its
    loads. Empty when the run never committed (rejected, failed, running).
    """
    v = indicator_value.c
    with engine.connect() as conn:
        last = conn.scalar(select(etl_run.c.last_value_id).where(etl_run.c.run_id == run_id))
        statement = select(v.value_id, v.region_code, v.indicator_code, v.value, v.numerator, v.denominator, v.run_id)
        if last is None:
            return fetch_frame(conn, statement.where(false()))
        latest = select(func.max(v.value_id)).where(v.year == year, v.value_id <= last).group_by(v.region_code, v.indicator_code)
        return fetch_frame(conn, statement.where(v.value_id.in_(latest), v.is_removed == false()).order_by(v.region_code, v.indicator_code))


def run_diff(engine: Engine, run_a: int, run_b: int, year: int) -> pl.DataFrame:
    """The values of ``year`` as run_a published them against those run_b published: one row per region per indicator in either, with change added/removed/changed/unchanged (from a to b)."""
    key = ["region_code", "indicator_code"]
    measures = ["value", "numerator", "denominator"]

    def of(run_id: int, suffix: str) -> pl.DataFrame:
        frame = published_values(engine, year, run_id).select(*key, *measures)
        return frame.rename({m: f"{m}_{suffix}" for m in measures}).with_columns(pl.lit(True).alias(f"in_{suffix}"))

    joined = of(run_a, "a").join(of(run_b, "b"), on=key, how="full", coalesce=True)
    same = pl.all_horizontal([pl.col(f"{m}_a").eq_missing(pl.col(f"{m}_b")) for m in measures])
    change = (
        pl.when(pl.col("in_a").is_null()).then(pl.lit("added"))
        .when(pl.col("in_b").is_null()).then(pl.lit("removed"))
        .when(same).then(pl.lit("unchanged"))
        .otherwise(pl.lit("changed"))
    )
    return (
        joined.with_columns(change.alias("change"), pl.lit(year, dtype=pl.Int64).alias("year"))
        .select("year", *key, *(f"{m}_{s}" for m in measures for s in ("a", "b")), "change")
        .sort(key)
    )


def runs(engine: Engine, year: int | None = None) -> pl.DataFrame:
    """The run log: one row per run (of ``year`` when given), oldest first."""
    statement = select(*etl_run.c).order_by(etl_run.c.run_id)
    if year is not None:
        statement = statement.where(etl_run.c.year == year)
    with engine.connect() as conn:
        return fetch_frame(conn, statement)


def county_tables(engine: Engine, year: int, county_codes: Sequence[str]) -> StagedTables:
    """The stored school-level rows of ``year`` for the schools registered in ``county_codes`` (and those counties' population).

    One frame per contract table with the staged columns, in source file, sheet and row order. The
    data tables are read through a subquery on the schools table, so that a province's thousands of
    schools need no list of codes.
    """
    counties = sorted(set(county_codes))
    schools = SCHOOL_TABLES["schools"]
    in_counties = select(schools.c.school_code).where(schools.c.year == year, schools.c.county_code.in_(counties)).scalar_subquery()
    frames: dict[str, pl.DataFrame] = {}
    with engine.connect() as conn:
        for name in TABLES:
            table = SCHOOL_TABLES[name]
            # schools and population name their county; the data tables only their school.
            where = table.c.county_code.in_(counties) if "county_code" in table.c else table.c.school_code.in_(in_counties)
            columns = [table.c[column] for column in staged_dtypes(name)]
            statement = select(*columns).where(table.c.year == year, where).order_by(table.c.source_file, table.c.source_sheet, table.c.source_row)
            frames[name] = fetch_frame(conn, statement).cast(empty_table(name).schema)
    return StagedTables(**frames)
