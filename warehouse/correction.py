"""Reads a correction needs: the inputs behind a year's current values, and the stored rows and values of the counties it touches."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlalchemy import Connection, Engine, and_, desc, or_, select

from schemas.staged import StagedTables, empty_table
from schemas.stored_inputs import StoredInputs
from schemas.tables import DATA_TABLES, PROVENANCE_COLUMNS, TABLES, staged_dtypes
from warehouse.bulk import in_chunks
from warehouse.frames import fetch_frame
from warehouse.schema import ISSUE_COLUMNS, SCHOOL_TABLES, county_reporting, etl_run, indicator_current, input_file, validation_issue


def current_run_id(conn: Connection, year: int) -> int | None:
    """The last succeeded run of ``year``: the one behind its current values (None when the year was never loaded)."""
    statement = (
        select(etl_run.c.run_id).where(etl_run.c.year == year, etl_run.c.status == "succeeded").order_by(desc(etl_run.c.run_id)).limit(1)
    )
    return conn.scalar(statement)


def stored_inputs(engine: Engine, year: int) -> StoredInputs | None:
    """The run behind ``year``'s current values with its configuration digest and input files; None when the year was never loaded."""
    with engine.connect() as conn:
        run_id = current_run_id(conn, year)
        if run_id is None:
            return None
        config_digest = conn.scalar(select(etl_run.c.config_digest).where(etl_run.c.run_id == run_id))
        files = fetch_frame(
            conn, select(input_file.c.source_file, input_file.c.sha256).where(input_file.c.run_id == run_id).order_by(input_file.c.source_file)
        )
    return StoredInputs(run_id=run_id, config_digest=config_digest, files=files)


def stored_warnings(engine: Engine, run_id: int) -> pl.DataFrame:
    """The warnings stored for ``run_id``, as an issue frame (one row per warning, stored order)."""
    statement = (
        select(*(validation_issue.c[name] for name in ISSUE_COLUMNS))
        .where(validation_issue.c.run_id == run_id, validation_issue.c.severity == "warning")
        .order_by(validation_issue.c.issue_id)
    )
    with engine.connect() as conn:
        return fetch_frame(conn, statement)


def stored_reporting(engine: Engine, year: int) -> pl.DataFrame:
    """The completeness of ``year``'s current version: one row per county × table (county_code, table_name, is_reported, schools_missing_row)."""
    c = county_reporting.c
    statement = (
        select(c.county_code, c.table_name, c.is_reported, c.schools_missing_row)
        .where(c.year == year)
        .order_by(c.county_code, c.table_name)
    )
    with engine.connect() as conn:
        return fetch_frame(conn, statement)


def county_values(engine: Engine, year: int) -> pl.DataFrame:
    """The current county-level values of ``year``: one row per county per indicator (region_code, indicator_code, value, numerator, denominator)."""
    c = indicator_current.c
    statement = (
        select(c.region_code, c.indicator_code, c.value, c.numerator, c.denominator)
        .where(c.year == year, c.region_level == "county")
        .order_by(c.region_code, c.indicator_code)
    )
    with engine.connect() as conn:
        return fetch_frame(conn, statement)


def _rows(conn: Connection, table: str, year: int, changed_files: Sequence[str], column: str, codes: Sequence[str]) -> pl.DataFrame:
    """Stored rows of ``table`` for ``year`` from files other than ``changed_files`` whose ``column`` is one of ``codes``."""
    sql_table = SCHOOL_TABLES[table]
    names = list(staged_dtypes(table))
    frames = [empty_table(table)]
    for chunk in in_chunks(sorted(set(codes))):
        statement = select(*(sql_table.c[name] for name in names)).where(
            sql_table.c.year == year, sql_table.c[column].in_(chunk), _unchanged(sql_table, changed_files)
        )
        frames.append(fetch_frame(conn, statement).cast(empty_table(table).schema))
    return pl.concat(frames)


def _unchanged(sql_table, changed_files: Sequence[str]):  # noqa: ANN001, ANN202 - a SQLAlchemy boolean clause
    return or_(sql_table.c.source_file.is_(None), sql_table.c.source_file.not_in(list(changed_files)))


def replaced_rows(engine: Engine, year: int, changed_files: Sequence[str]) -> dict[str, pl.DataFrame]:
    """The stored school and county codes of the rows that the changed files held: per table, (school_code?, county_code?)."""
    frames = {}
    with engine.connect() as conn:
        for name in TABLES:
            sql_table = SCHOOL_TABLES[name]
            columns = [sql_table.c[c] for c in ("school_code", "county_code") if c in sql_table.c]
            parts = [
                fetch_frame(conn, select(*columns).where(sql_table.c.year == year, sql_table.c.source_file.in_(chunk)))
                for chunk in in_chunks(list(changed_files))
            ]
            frames[name] = pl.concat(parts) if parts else pl.DataFrame(schema={c.name: pl.String for c in columns})
    return frames


def touched_context(
    engine: Engine, year: int, changed_files: Sequence[str], touched: pl.DataFrame
) -> tuple[tuple[str, ...], StagedTables, frozenset[str]]:
    """The counties a correction touches, the stored rows of unchanged files for them, and the tables unchanged files hold.

    Counties touched: those ``touched`` names (new and replaced rows of the changed files), widened
    until every school of the rows read is registered in one of them. Returned rows: every stored
    row from unchanged files of a school registered in those counties or named by ``touched``, and
    those counties' population rows.
    """
    codes = sorted(set(touched["school_code"].drop_nulls().to_list()))
    counties = set(touched["county_code"].drop_nulls().to_list())
    with engine.connect() as conn:
        while True:
            registry = pl.concat(
                [
                    _rows(conn, "schools", year, changed_files, "county_code", sorted(counties)),
                    _rows(conn, "schools", year, changed_files, "school_code", codes),
                ]
            ).unique(maintain_order=True)
            widened = counties | set(registry["county_code"].drop_nulls().to_list())
            if widened == counties:
                break
            counties = widened
        school_codes = sorted(set(codes) | set(registry["school_code"].drop_nulls().to_list()))
        tables = {"schools": registry}
        for name in DATA_TABLES:
            tables[name] = _rows(conn, name, year, changed_files, "school_code", school_codes)
        tables["population"] = _rows(conn, "population", year, changed_files, "county_code", sorted(counties))
        present = frozenset(name for name in TABLES if _holds_rows(conn, name, year, changed_files))
    ordered = {name: tables[name].sort(list(PROVENANCE_COLUMNS)) for name in TABLES}
    return tuple(sorted(counties)), StagedTables(**ordered), present


def _holds_rows(conn: Connection, table: str, year: int, changed_files: Sequence[str]) -> bool:
    sql_table = SCHOOL_TABLES[table]
    statement = select(sql_table.c.year).where(and_(sql_table.c.year == year, _unchanged(sql_table, changed_files))).limit(1)
    return conn.scalar(statement) is not None
