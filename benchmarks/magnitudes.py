"""`uv run python -m benchmarks.magnitudes [--schools N] [--offenders K] [--runs R]`: what the ceilings check costs.

Staged frames of a synthetic year are built in memory (one row per school in every table, values
drawn below the unusual marks; population one row per 190 schools, a county's share), then
``schemas.magnitudes.magnitude_issues`` is timed over all seven tables, median of ``--runs``: once
with every value plausible (the usual year: one pass per table) and once with ``--offenders`` cells
of each numeric column above its ceiling. Beside them, for scale: the Pandera part of
``schemas.validate.validate_table`` on the same frames.
"""

from __future__ import annotations

import argparse
import json

import polars as pl

from benchmarks.measure import median_call_s
from edustat.ingest.headers import empty_headers
from schemas.magnitudes import magnitude_issues
from schemas.rules import load_rules
from schemas.tables import TABLES, staged_dtypes
from schemas.validate import table_schema

SCHOOLS_PER_COUNTY = 190
"""About the national average (534,632 schools in ~2,800 counties)."""


def _spread(rows: int, salt: int) -> pl.Series:
    """``rows`` numbers in [0, 1), spread by a multiplicative hash of the row number (no randomness needed)."""
    return pl.select(((pl.int_range(rows, dtype=pl.Int64) * 7919 + salt) % 10007) / 10007.0).to_series()


def _frame(table: str, rows: int, rules) -> pl.DataFrame:  # noqa: ANN001 - Rules
    columns: dict[str, object] = {}
    dtypes = staged_dtypes(table)
    for salt, column in enumerate(TABLES[table].columns):
        dtype = getattr(pl, dtypes[column.name])
        if column.name in rules.ceilings.get(table, {}):
            values = _spread(rows, salt) * (rules.ceilings[table][column.name].unusual / 10)
            columns[column.name] = values.cast(dtype)
        elif column.kind == "code" and column.digits:
            columns[column.name] = pl.Series([f"{i:0{column.digits}d}"[-column.digits:] for i in range(rows)])
        elif column.kind == "stage":
            columns[column.name] = pl.Series(["primary"] * rows)
        elif column.kind == "yes_no":
            columns[column.name] = pl.Series([True] * rows)
        else:
            columns[column.name] = pl.Series(["x"] * rows, dtype=pl.String)
    provenance = {"source_file": pl.Series(["f.xlsx"] * rows), "source_sheet": pl.Series([TABLES[table].sheet_zh] * rows),
                  "source_row": pl.Series(range(2, rows + 2), dtype=pl.Int64)}
    return pl.DataFrame(columns | provenance)


def _with_offenders(frame: pl.DataFrame, table: str, offenders: int, rules) -> pl.DataFrame:  # noqa: ANN001 - Rules
    index = pl.int_range(pl.len())
    return frame.with_columns(
        pl.when(index < offenders).then(pl.lit(1e308)).otherwise(pl.col(name).cast(pl.Float64)).cast(frame.schema[name]).alias(name)
        if frame.schema[name] == pl.Float64 else pl.when(index < offenders).then(pl.lit(10**12)).otherwise(pl.col(name)).alias(name)
        for name in rules.ceilings.get(table, {})
    )


def main() -> None:
    """Print the timings as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=534_632)
    parser.add_argument("--offenders", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rules = load_rules()
    sizes = {table: (max(args.schools // SCHOOLS_PER_COUNTY, 1) if table == "population" else args.schools) for table in TABLES}
    frames = {table: _frame(table, rows, rules) for table, rows in sizes.items()}
    bad = {table: _with_offenders(frame, table, min(args.offenders, frame.height), rules) for table, frame in frames.items()}
    headers = empty_headers()

    def check(tables: dict[str, pl.DataFrame]) -> int:
        return sum(magnitude_issues(table, frame, headers, rules).height for table, frame in tables.items())

    def pandera() -> None:
        for table, frame in frames.items():
            try:
                table_schema(table, rules).validate(frame, lazy=True)
            except Exception:  # noqa: BLE001 - the synthetic codes break rules; only the time matters here
                pass

    found = check(bad)
    result = {
        "schools": args.schools,
        "ceilings_plausible_s": round(median_call_s(lambda: check(frames), args.runs), 3),
        "ceilings_with_offenders_s": round(median_call_s(lambda: check(bad), args.runs), 3),
        "offending_cells": found,
        "pandera_s": round(median_call_s(pandera, max(1, args.runs // 2)), 3),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
