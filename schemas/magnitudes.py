"""Plausible magnitudes: a number above its column's ceiling (config/rules.toml [ceilings]) cannot be real.

Grain of the result: one issue per offending cell — an error (implausible_value) above ``impossible``,
a warning (unusual_value) above ``unusual`` and at most ``impossible``. A value at a ceiling is within it.
"""

from __future__ import annotations

import polars as pl

from config import Ceiling, Rules
from schemas.issues import concat_issues, empty_issues, issues_from
from schemas.locate import locate
from schemas.tables import PROVENANCE_COLUMNS, TABLES


def ceiling_text(limit: float) -> str:
    """A ceiling as a clerk reads it: whole numbers with thousands separators (10,000,000), others as written."""
    return f"{int(limit):,}" if float(limit).is_integer() else f"{limit:g}"


def _value_text(column: str) -> pl.Expr:
    # Polars writes a large double as 1e308 and a whole one as 1e7 or 2400.0; the clerk wrote 2400.
    number = pl.col(column)
    whole = number.cast(pl.Float64).is_finite() & (number.cast(pl.Float64).abs() < 2.0**53) & (number == number.round(0))
    as_int = number.cast(pl.Float64).round(0).cast(pl.Int64, strict=False).cast(pl.String)
    return pl.when(whole).then(as_int).otherwise(number.cast(pl.String)).alias("value")


def _beyond(rows: pl.DataFrame, table: str, column: str, limit: float, rule: str, severity: str, headers: pl.DataFrame) -> pl.DataFrame:
    spec = TABLES[table].column(column)
    grain = TABLES[table].grain
    located = locate(rows.sort(list(PROVENANCE_COLUMNS)).with_columns(_value_text(column)), table, column, headers)
    return issues_from(
        located, rule, severity, table_name=table, column=column, column_zh=spec.header_zh,
        limit=ceiling_text(limit), unit_zh=spec.unit_zh or "", per_zh=grain.row_zh, per_en=grain.row_en,
    )


def _impossible(column: str, ceiling: Ceiling) -> pl.Expr:
    value = pl.col(column).cast(pl.Float64)
    # NaN compares above every number in Polars; named here so that it is refused whatever that order.
    return value.is_nan() | (value > ceiling.impossible)


def _unusual(column: str, ceiling: Ceiling) -> pl.Expr:
    return ~_impossible(column, ceiling) & (pl.col(column).cast(pl.Float64) > ceiling.unusual)


def _column_issues(frame: pl.DataFrame, table: str, column: str, ceiling: Ceiling, headers: pl.DataFrame) -> pl.DataFrame:
    rows = frame.select(column, *PROVENANCE_COLUMNS).drop_nulls(column)
    return concat_issues(
        [
            _beyond(rows.filter(_impossible(column, ceiling)), table, column, ceiling.impossible, "implausible_value", "error", headers),
            _beyond(rows.filter(_unusual(column, ceiling)), table, column, ceiling.unusual, "unusual_value", "warning", headers),
        ]
    )


def magnitude_issues(table: str, frame: pl.DataFrame, headers: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """Every cell of ``table``'s staged ``frame`` above its column's ceiling: one error or warning per cell."""
    ceilings = rules.ceilings.get(table, {})
    if frame.height == 0 or not ceilings:
        return empty_issues()
    # One pass over the whole table first: almost every year has no such cell, and then nothing more is done.
    above = pl.any_horizontal([pl.col(column).cast(pl.Float64) > ceiling.unusual for column, ceiling in ceilings.items()])
    is_nan = pl.any_horizontal([pl.col(column).cast(pl.Float64).is_nan() for column in ceilings])
    flagged = frame.filter((above | is_nan).fill_null(False))
    if flagged.height == 0:
        return empty_issues()
    return concat_issues(_column_issues(flagged, table, column, ceiling, headers) for column, ceiling in ceilings.items())
