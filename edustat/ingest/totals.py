"""Total rows (合计, 总计): how one is spotted, and a warning for each of its cells that differs from its sheet's column sum."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import polars as pl

from edustat.ingest.body_columns import SHEET_KEY, raw_column
from edustat.ingest.headers import column_locations
from schemas.issues import issue, issue_frame
from schemas.tables import PROVENANCE_COLUMNS, TABLES, TableSpec

TOTAL_PATTERN = "合计|总计"
"""A row with a cell containing one of these is a total row."""

TOTAL_TOLERANCE = 1e-6
"""Relative difference below which a total row agrees with the column sum (float rounding)."""


def has_total_label(columns: Sequence[str | pl.Expr]) -> pl.Expr:
    """True on a row with a cell (of ``columns``: names or String expressions) containing a total label."""
    # One search for either word per cell (the pattern holds no other regex syntax).
    cells = [(pl.col(column) if isinstance(column, str) else column).str.contains(TOTAL_PATTERN) for column in columns]
    return pl.any_horizontal(cells or [pl.lit(False)]).fill_null(False)


def _sum_text(value: float, kind: str) -> str:
    return f"{value:g}" if kind == "number" else str(int(value))


def _total_differs(column: str) -> pl.Expr:
    """True on a total row whose cell in ``column`` differs from the sheet's column sum (``__sum_<column>``)."""
    total_sum = pl.col(f"__sum_{column}").fill_null(0.0)
    tolerance = TOTAL_TOLERANCE * pl.max_horizontal(pl.lit(1.0), total_sum.abs())
    return pl.col(column).is_not_null() & ((pl.col(column).cast(pl.Float64) - total_sum).abs() > tolerance)


@lru_cache(maxsize=len(TABLES))
def _column_sums(table: str) -> list[pl.Expr]:
    """The sums of the numeric columns of ``table`` as Float64, named ``__sum_<column>`` (built once per table)."""
    numeric = [c.name for c in TABLES[table].columns if c.kind in ("integer", "number")]
    return [pl.col(name).cast(pl.Float64).sum().alias(f"__sum_{name}") for name in numeric]


def _any_total_differs(compared: pl.DataFrame, numeric: Sequence[str]) -> bool:
    """True when a cell of a total row differs from its sheet's column sum, in any numeric column."""
    # The cells and their sums stacked column after column: one comparison instead of one per column.
    cells = compared.unpivot(on=list(numeric)).get_column("value")
    sums = compared.unpivot(on=[f"__sum_{name}" for name in numeric]).get_column("value")
    stacked = pl.DataFrame([cells.alias("total"), sums.alias("__sum_total")])
    return bool(stacked.select(_total_differs("total").any()).item())


def total_issues(
    converted: pl.DataFrame, data: pl.Series, total: pl.Series, headers: pl.DataFrame, spec: TableSpec
) -> list[pl.DataFrame]:
    """Each numeric cell of a total row (mask ``total``) that differs from its sheet's sum of data rows (mask ``data``):
    one warning per cell."""
    numeric = [c for c in spec.columns if c.kind in ("integer", "number")]
    if not numeric or not total.any():
        return []
    sheets = ["source_file", "source_sheet"]
    # Only the columns compared are taken along: filtering copies every column it is given.
    compared_columns = [*PROVENANCE_COLUMNS, SHEET_KEY, *(c.name for c in numeric), *(raw_column(c.name) for c in numeric)]
    totals = converted.select(pl.col(compared_columns).filter(total))
    # The data rows of the sheets that have a total row, in order: SHEET_KEY numbers (file, sheet) pairs one to one.
    with_total = converted.get_column(SHEET_KEY).is_in(sorted(set(totals.get_column(SHEET_KEY).to_list())))
    summed = converted.select(pl.col(*sheets, *(c.name for c in numeric)).filter(data & with_total))
    sums = summed.group_by(sheets).agg(_column_sums(spec.name))
    compared = totals.join(sums, on=sheets, how="left")
    # Totals mostly agree: one comparison answers for every column before any is looked at alone.
    if not _any_total_differs(compared, [c.name for c in numeric]):
        return []
    rows_out: list[dict] = []
    for column in numeric:
        name, total_sum = column.name, pl.col(f"__sum_{column.name}").fill_null(0.0)
        differing = compared.filter(_total_differs(name)).select(
            *PROVENANCE_COLUMNS, pl.col(raw_column(name)).alias("value"), total_sum.alias("sum")
        )
        if differing.height == 0:
            continue
        located = differing.join(column_locations(headers, spec.name, name), on=sheets, how="inner")
        # Disagreeing totals are rare: their messages are rendered one by one, with Python's number format.
        for row in located.iter_rows(named=True):
            rows_out.append(
                issue(
                    "total_mismatch", "warning", table_name=spec.name, source_file=row["source_file"],
                    source_sheet=row["source_sheet"], source_row=row["source_row"], column_header=row["column_header"],
                    cell=f"{row['column_letter']}{row['source_row']}", value=row["value"], column=name,
                    column_zh=column.header_zh, sum=_sum_text(row["sum"], column.kind),
                )
            )
    return [issue_frame(rows_out)] if rows_out else []
