"""NUL characters in cells: removed before conversion, each cell that held one reported as an invalid_character error."""

from __future__ import annotations

import polars as pl

from edustat.ingest.body_columns import input_column
from edustat.ingest.cell_issues import located_issues
from edustat.ingest.headers import column_locations
from schemas.tables import PROVENANCE_COLUMNS, TableSpec

NUL = "\x00"
SHOWN_NUL = "\u2400"
"""How a NUL is shown in an issue's value (␀): the database refuses NUL in text, a clerk sees where it was."""


def invalid_characters(stacked: pl.DataFrame, headers: pl.DataFrame, spec: TableSpec) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """The stacked cells with NUL characters removed, and one invalid_character error per cell that held one.

    A NUL is no character a clerk can type or see; PostgreSQL cannot store it in text. The cell is
    reported (its value with ␀ where the NUL was) and converted without it; the error rejects the run.
    """
    inputs = [input_column(c.name) for c in spec.columns]
    has_nul = [name for name in inputs if stacked.get_column(name).str.contains(NUL, literal=True).any()]
    if not has_nul:
        return stacked, []
    issues = []
    for column in spec.columns:
        name = input_column(column.name)
        if name not in has_nul:
            continue
        bad = stacked.filter(pl.col(name).str.contains(NUL, literal=True)).select(
            *PROVENANCE_COLUMNS, pl.col(name).str.replace_all(NUL, SHOWN_NUL, literal=True).alias("value")
        )
        fields = {"table_name": spec.name, "column": column.name, "column_zh": column.header_zh}
        issues.append(located_issues(bad, column_locations(headers, spec.name, column.name), "invalid_character", "error", **fields))
    cleaned = stacked.with_columns(pl.col(name).str.replace_all(NUL, "", literal=True) for name in has_nul)
    return cleaned, [frame for frame in issues if frame.height]
