"""Which converted rows are data rows, which are total rows, and which data rows hold an offending cell."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import polars as pl

from edustat.ingest.body_columns import input_column, raw_column
from edustat.ingest.cell_conversion import FAILURE_RULES, WORDLESS_KINDS, failure_column
from edustat.ingest.totals import has_total_label
from schemas.tables import TABLES, TableSpec


@lru_cache(maxsize=64)
def _row_flags(table: str, others: tuple[str, ...]) -> list[pl.Expr]:
    """Flags of converted rows (built once per layout): ``content`` (something in a contract column), ``label`` (a total
    label in a column searched on every row), ``failed`` (a failed cell of a wordless kind: the only such cell that can
    hold a label) and ``offending`` (a failure or an empty required cell)."""
    spec = TABLES[table]
    searched = [input_column(c.name) for c in spec.columns if c.kind not in WORDLESS_KINDS]
    wordless = [c for c in spec.columns if c.kind in WORDLESS_KINDS]
    failing = [pl.col(failure_column(c.name)).is_not_null() for c in spec.columns if FAILURE_RULES[c.kind]]
    empty = [pl.col(raw_column(c.name)).is_null() for c in spec.columns if c.required]
    return [
        pl.any_horizontal(pl.col(raw_column(c.name)).is_not_null() for c in spec.columns).alias("content"),
        has_total_label([*searched, *others]).alias("label"),
        pl.any_horizontal([pl.col(failure_column(c.name)).is_not_null() for c in wordless] or [pl.lit(False)]).alias("failed"),
        pl.any_horizontal([*failing, *empty] or [pl.lit(False)]).alias("offending"),
    ]


@dataclass(frozen=True)
class RowKinds:
    """Masks over the converted rows of a table: data rows, total rows, and data rows with an offending cell."""

    data: pl.Series
    total: pl.Series
    offending: pl.Series


def row_kinds(converted: pl.DataFrame, spec: TableSpec) -> RowKinds:
    """Which converted rows are data rows and which are total rows; a row with nothing in any contract column is neither.

    A total row has a cell containing 合计 or 总计. Cells that converted to a number or a code hold
    no such word, so those columns are searched only on the few rows where one failed.
    """
    others = tuple(c for c in converted.columns if c.startswith("__other_"))
    flags = converted.select(_row_flags(spec.name, others))
    content, is_total, failed = flags.get_column("content"), flags.get_column("label"), flags.get_column("failed")
    if failed.any():
        wordless = [pl.col(input_column(c.name)).filter(failed) for c in spec.columns if c.kind in WORDLESS_KINDS]
        rows = pl.int_range(pl.len(), dtype=pl.get_index_type()).filter(failed).alias("row")
        found = converted.select(rows, has_total_label(wordless).alias("label"))
        is_total = is_total.clone().scatter(found.get_column("row"), is_total.filter(failed) | found.get_column("label"))
    data = content & ~is_total
    return RowKinds(data, content & is_total, data & flags.get_column("offending"))
