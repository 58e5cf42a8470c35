"""`uv run python -m benchmarks.compare_values OLD.parquet NEW_WAREHOUSE_URL`: are two engines' values the same, bit for bit?

OLD.parquet holds the current values of a warehouse as ``--dump URL OUT.parquet`` writes them: one row
per year × region × indicator (year, region_code, indicator_code, value, numerator, denominator). The
comparison is exact: the same keys on both sides, and for each key the same bits of value, numerator
and denominator (NULL equals NULL only; -0.0 differs from 0.0). Every difference is printed (the first
``--show`` of them), then one summary line; the exit code is 0 when there is none, 1 otherwise.
"""

from __future__ import annotations

import argparse
import struct
import sys
from pathlib import Path

import polars as pl
from sqlalchemy import text

from warehouse.engine import make_engine

KEY = ("year", "region_code", "indicator_code")
NUMBERS = ("value", "numerator", "denominator")
SCHEMA = {"year": pl.Int64, "region_code": pl.String, "indicator_code": pl.String} | dict.fromkeys(NUMBERS, pl.Float64)
CURRENT_VALUES = text(
    "SELECT year, region_code, indicator_code, value, numerator, denominator FROM indicator_value WHERE is_current"
)


def current_values(url: str) -> pl.DataFrame:
    """The warehouse's current values: one row per year × region × indicator, sorted by the key."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = [tuple(row) for row in conn.execute(CURRENT_VALUES).all()]
    finally:
        engine.dispose()
    return pl.DataFrame(rows, schema=SCHEMA, orient="row").sort(KEY)


def _bits(number: float | None) -> bytes | None:
    """The eight bytes of a double (None for NULL): equal bits, equal bytes."""
    return None if number is None else struct.pack("<d", number)


def differences(old: pl.DataFrame, new: pl.DataFrame) -> list[str]:
    """One line per key present on one side only, and per number whose bits differ between the sides."""
    lines: list[str] = []
    old_present = pl.col("_old").is_not_null()
    new_present = pl.col("_new").is_not_null()
    joined = old.with_columns(pl.lit(True).alias("_old")).join(
        new.with_columns(pl.lit(True).alias("_new")), on=list(KEY), how="full", coalesce=True, suffix="_new"
    )
    for row in joined.filter(~old_present).iter_rows(named=True):
        lines.append(f"only in the new warehouse: {row['year']} {row['region_code']} {row['indicator_code']}")
    for row in joined.filter(~new_present).iter_rows(named=True):
        lines.append(f"only in the reference: {row['year']} {row['region_code']} {row['indicator_code']}")
    for row in joined.filter(old_present & new_present).iter_rows(named=True):
        for name in NUMBERS:
            if _bits(row[name]) != _bits(row[f"{name}_new"]):
                where = f"{row['year']} {row['region_code']} {row['indicator_code']}"
                lines.append(f"{where} {name}: reference {row[name]!r}, new {row[f'{name}_new']!r}")
    return lines


def main() -> None:
    """Command line: compare, or ``--dump`` a reference."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare_values", description=__doc__.splitlines()[0])
    parser.add_argument("--dump", nargs=2, metavar=("URL", "OUT"), help="write the current values of warehouse URL to OUT (parquet) and stop")
    parser.add_argument("reference", nargs="?", type=Path, help="OLD.parquet")
    parser.add_argument("url", nargs="?", help="the new warehouse's URL")
    parser.add_argument("--show", type=int, default=50, help="differences printed at most")
    args = parser.parse_args()
    if args.dump:
        url, out = args.dump
        frame = current_values(url)
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        frame.write_parquet(out)
        print(f"{frame.height} values of {frame.get_column('year').n_unique()} year(s) written to {out}")
        return
    if args.reference is None or args.url is None:
        parser.error("give OLD.parquet and NEW_WAREHOUSE_URL, or --dump URL OUT")
    old = pl.read_parquet(args.reference).cast(SCHEMA).sort(KEY)
    new = current_values(args.url)
    lines = differences(old, new)
    for line in lines[: args.show]:
        print(line)
    if len(lines) > args.show:
        print(f"… and {len(lines) - args.show} more")
    print(f"{old.height} reference values, {new.height} new values: {len(lines)} differences")
    sys.exit(1 if lines else 0)


if __name__ == "__main__":
    main()
