"""The issues of converted cells: conversion failures and empty required cells, each at its cell (A1 reference)."""

from __future__ import annotations

import polars as pl

from config import Rules
from edustat.ingest.body_columns import raw_column
from edustat.ingest.cell_conversion import FAILURE_RULES, failure_column
from edustat.ingest.headers import column_locations
from schemas.issues import empty_issues, issues_from
from schemas.messages import stage_choices
from schemas.tables import PROVENANCE_COLUMNS, TableSpec


def _cell() -> pl.Expr:
    """The A1 reference of a located offending cell: its column letter and Excel row."""
    return pl.concat_str(pl.col("column_letter"), pl.col("source_row").cast(pl.String))


def located_issues(bad: pl.DataFrame, locations: pl.DataFrame, rule: str, severity: str, **fields: object) -> pl.DataFrame:
    """Issues of ``bad`` rows in the sheets that have the column: header text and cell from ``locations``."""
    if bad.height == 0:
        return empty_issues()
    located = bad.join(locations, on=["source_file", "source_sheet"], how="inner")
    return issues_from(located, rule, severity, cell=_cell(), **fields)


def cell_issues(
    converted: pl.DataFrame, offending: pl.Series, headers: pl.DataFrame, spec: TableSpec, rules: Rules
) -> list[pl.DataFrame]:
    """Conversion failures and empty required cells: one issue per offending cell of the rows in mask ``offending``."""
    # Most rows are clean: the few offending ones are taken first, then their cells are named column by column.
    if not offending.any():
        return []
    bad = converted.filter(offending)
    frames: list[pl.DataFrame] = []
    choices = stage_choices(rules.stages)
    for column in spec.columns:
        name = column.name
        locations = column_locations(headers, spec.name, name)
        fields = {"table_name": spec.name, "column": name, "column_zh": column.header_zh, "digits": column.digits or "", **choices}
        raw = pl.col(raw_column(name)).alias("value")
        for rule in FAILURE_RULES[column.kind]:
            offending = bad.filter(pl.col(failure_column(name)) == rule).select(*PROVENANCE_COLUMNS, raw)
            frames.append(located_issues(offending, locations, rule, "error", **fields))
        if column.required:
            offending = bad.filter(pl.col(raw_column(name)).is_null()).select(*PROVENANCE_COLUMNS)
            frames.append(located_issues(offending, locations, "missing_value", "error", **fields))
    return [frame for frame in frames if frame.height]
