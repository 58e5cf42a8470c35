"""The planned sheets of one table → its typed rows with provenance, plus the issues of their cells and totals.

Pure: frames in, frames out. The bodies of many sheets are stacked with their provenance, NUL
characters are taken out, every cell is converted in one vectorised pass, rows are sorted into data
and total rows, and the data rows are kept in staged dtypes. Which table a sheet holds is
``sheet_names``; its header and body ``headers`` and ``sheet_plan``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate

import polars as pl

from config import Rules
from edustat.ingest.body_columns import SHEET_KEY, input_column, raw_column
from edustat.ingest.cell_conversion import convert_columns
from edustat.ingest.cell_issues import cell_issues
from edustat.ingest.invalid_characters import invalid_characters
from edustat.ingest.row_kinds import row_kinds
from edustat.ingest.sheet_plan import SheetPlan
from edustat.ingest.totals import total_issues
from schemas.staged import empty_table
from schemas.tables import TABLES, staged_dtypes


@lru_cache(maxsize=len(TABLES))
def _staged_columns(table: str) -> list[pl.Expr]:
    """The staged columns of ``table`` in order, cast to their staged dtypes (built once per table)."""
    return [pl.col(name).cast(getattr(pl, dtype)()).alias(name) for name, dtype in staged_dtypes(table).items()]


def _typed(converted: pl.DataFrame, data: pl.Series, table: str) -> pl.DataFrame:
    """The data rows (mask ``data``) of ``converted`` in staged columns and dtypes."""
    typed = converted.select(_staged_columns(table))
    return typed if data.all() else typed.filter(data)


def _stacked_bodies(table: str, plans: Sequence[SheetPlan]) -> pl.DataFrame | None:
    """Every plan's body in one frame with provenance: one row per sheet row below a header, in plan order.

    Columns: source_file, source_sheet, source_row, SHEET_KEY, every ``__in_<column>`` (null where a
    sheet lacks the column) and every ``__other_<i>`` that some sheet has.
    """
    spec = TABLES[table]
    planned = [plan for plan in plans if plan.body is not None and plan.body.height]
    if not planned:
        return None
    ends = list(accumulate(plan.body.height for plan in planned))
    keys: dict[tuple[str, str], int] = {}
    sheet_keys = [keys.setdefault((plan.source_file, plan.source_sheet), len(keys)) for plan in planned]
    # Excel row of stacked row r is r + (first_row − the sheet's offset in the stack).
    deltas = [plan.first_row - (end - plan.body.height) for plan, end in zip(planned, ends, strict=True)]
    # One chunk, not one per sheet: every later expression pays its overhead per chunk, and there are many.
    raw = pl.concat([plan.body for plan in planned], how="diagonal", rechunk=True) if len(planned) > 1 else planned[0].body
    inputs = (input_column(c.name) for c in spec.columns)
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    # The plan of each stacked row, found once from the plans' end offsets: no per-sheet column to build and stack.
    positions = pl.int_range(0, raw.height, dtype=pl.Int64, eager=True)
    sheet = pl.lit(pl.Series(ends, dtype=pl.Int64).search_sorted(positions, side="right"))
    return raw.select(
        pl.lit(pl.Series([plan.source_file for plan in planned], dtype=pl.String)).gather(sheet).alias("source_file"),
        pl.lit(pl.Series([plan.source_sheet for plan in planned], dtype=pl.String)).gather(sheet).alias("source_sheet"),
        (row + pl.lit(pl.Series(deltas, dtype=pl.Int64)).gather(sheet)).alias("source_row"),
        pl.lit(pl.Series(sheet_keys, dtype=pl.UInt32)).gather(sheet).alias(SHEET_KEY),
        *(pl.col(name) if name in raw.columns else pl.lit(None, dtype=pl.String).alias(name) for name in inputs),
        *(name for name in raw.columns if name.startswith("__other_")),
    )


def convert_plans(table: str, plans: Sequence[SheetPlan], headers: pl.DataFrame, rules: Rules) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """The sheets of ``table`` in ``plans`` converted together: their typed rows (staged dtypes) and cell and total issues.

    Grain: one output row per non-empty, non-total row below a header, in plan order. Converting
    many sheets in one pass is what makes ingest fast: the per-query cost is paid once per batch.
    ``headers`` is the header map of these sheets.
    """
    spec = TABLES[table]
    stacked = _stacked_bodies(table, plans)
    if stacked is None:
        return empty_table(table), []
    stacked, invalid = invalid_characters(stacked, headers, spec)
    sources = {input_column(c.name): c for c in spec.columns}
    written = {input_column(c.name): raw_column(c.name) for c in spec.columns}
    converted = convert_columns(stacked, sources, rules, written)
    # Rows are picked by masks, not copied out: most of the converted columns are needed only for a few rows.
    kinds = row_kinds(converted, spec)
    issues = [
        *invalid,
        *cell_issues(converted, kinds.offending, headers, spec, rules),
        *total_issues(converted, kinds.data, kinds.total, headers, spec),
    ]
    return _typed(converted, kinds.data, table), issues
