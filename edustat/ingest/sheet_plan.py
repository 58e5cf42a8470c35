"""One recognised sheet's layout before any cell is converted: its header, its raw body and the issues of its layout."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from edustat.ingest.body_columns import input_column, other_column
from edustat.ingest.headers import HEADER_SEARCH_ROWS, HeaderRow, find_header_row, header_rows
from edustat.ingest.read import RawSheet
from schemas.issues import issue
from schemas.tables import TABLES, TableSpec


@dataclass(frozen=True)
class SheetPlan:
    """One recognised sheet after its layout is understood, before any cell is converted (one per sheet).

    ``body`` holds the sheet's rows below the header, raw: the columns that map to contract columns
    renamed ``__in_<column>``, the others ``__other_<i>``; its row i is Excel row ``first_row + i``.
    ``header_rows`` and ``issue_rows`` are plain dicts for the header map and the layout issues.
    """

    table: str
    source_file: str
    source_sheet: str
    body: pl.DataFrame | None
    first_row: int = 1
    header_rows: list[dict] = field(default_factory=list)
    issue_rows: list[dict] = field(default_factory=list)


def _layout_issues(sheet: RawSheet, spec: TableSpec, header: HeaderRow) -> list[dict]:
    header_row = sheet.first_row + header.index
    where = {"table_name": spec.name, "source_file": sheet.source_file, "source_sheet": sheet.source_sheet}
    rows = [
        issue("unknown_column", "warning", **where, source_row=header_row, cell=f"{letter}{header_row}",
              column_header=text, value=text)
        for letter, text in header.unknown
    ]
    rows += [
        issue("duplicate_column", "warning", **where, source_row=header_row, cell=f"{letter}{header_row}",
              column_header=text, value=text, first_cell=f"{first}{header_row}")
        for letter, text, first in header.repeated
    ]
    rows += [
        issue("missing_column", "error", **where, source_row=header_row, column=column.name,
              column_zh=column.header_zh, header_row=header_row)
        for column in spec.columns
        if column.required and column.name not in header.columns
    ]
    return rows


def _body(sheet: RawSheet, header: HeaderRow) -> pl.DataFrame:
    # A zero-copy slice renamed in place, no query: a per-sheet query would cost more than the sheet's cells.
    names = {letter: input_column(name) for name, (letter, _) in header.columns.items()}
    body = sheet.data.slice(header.index + 1)
    others = (letter for letter in body.columns if letter not in names)
    renamed = names | {letter: other_column(i) for i, letter in enumerate(others)}
    body.columns = [renamed[letter] for letter in body.columns]
    return body


def plan_sheet(sheet: RawSheet, table: str) -> SheetPlan:
    """The layout of one recognised sheet: its header, body and layout issues (no cell converted yet)."""
    spec = TABLES[table]
    header = find_header_row(sheet.data, spec)
    if header is None:
        problem = issue(
            "header_not_found", "error", table_name=table, source_file=sheet.source_file,
            source_sheet=sheet.source_sheet, table=table, table_zh=spec.sheet_zh, rows=HEADER_SEARCH_ROWS,
        )
        return SheetPlan(table, sheet.source_file, sheet.source_sheet, None, issue_rows=[problem])
    return SheetPlan(
        table,
        sheet.source_file,
        sheet.source_sheet,
        _body(sheet, header),
        first_row=sheet.first_row + header.index + 1,
        header_rows=header_rows(sheet, table, header),
        issue_rows=_layout_issues(sheet, spec, header),
    )
