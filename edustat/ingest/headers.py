"""A sheet's header row: found among its first non-empty rows, mapped to contract columns, and kept as a header map.

The header map (HEADER_COLUMNS) has one row per contract column found in a sheet, with its header as
written and its Excel letter; later checks use it to name cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import polars as pl

from edustat.ingest.read import RawSheet
from edustat.ingest.sheet_names import normalize_name
from edustat.ingest.sheet_rows import has_text, rows_from_top
from schemas.tables import TABLES, TableSpec

HEADER_SEARCH_ROWS = 20
"""The header row is looked for among this many first non-empty rows (title rows come above it)."""

HEADER_COLUMNS: dict[str, pl.DataType] = {
    "table_name": pl.String(),
    "source_file": pl.String(),
    "source_sheet": pl.String(),
    "column": pl.String(),
    "column_header": pl.String(),
    "column_letter": pl.String(),
}
"""Columns of a header map: one row per contract column found in a sheet, with its header and letter."""


@dataclass(frozen=True)
class HeaderRow:
    """The header row of a sheet: its 0-based index in the raw frame and the contract columns it names."""

    index: int
    columns: dict[str, tuple[str, str]]
    """contract column → (Excel letter, header text as written)."""
    unknown: list[tuple[str, str]]
    """(Excel letter, header text) of every non-empty header cell naming no contract column."""
    repeated: list[tuple[str, str, str]]
    """(Excel letter, header text, letter of the first column of that name) of every repeated column."""


@lru_cache(maxsize=len(TABLES))
def _known_headers(table: str) -> dict[str, str]:
    spec = TABLES[table]
    return {normalize_name(header): column.name for column in spec.columns for header in column.headers}


def find_header_row(data: pl.DataFrame, spec: TableSpec) -> HeaderRow | None:
    """The row among the first non-empty rows that names the most columns of ``spec``; None when none names any."""
    if data.width == 0 or data.height == 0:
        return None
    known = _known_headers(spec.name)
    best: HeaderRow | None = None
    best_count = 0
    searched = 0
    letters = data.columns
    # Plain Python over a few rows: a query per sheet would cost more than the search itself.
    for index, cells in enumerate(rows_from_top(data)):
        texts = [(letter, str(cell).strip()) for letter, cell in zip(letters, cells, strict=True) if has_text(cell)]
        if not texts:
            continue
        searched += 1
        columns: dict[str, tuple[str, str]] = {}
        unknown: list[tuple[str, str]] = []
        repeated: list[tuple[str, str, str]] = []
        for letter, text in texts:
            name = known.get(normalize_name(text))
            if name is None:
                unknown.append((letter, text))
            elif name in columns:
                repeated.append((letter, text, columns[name][0]))
            else:
                columns[name] = (letter, text)
        if len(columns) > best_count:
            best, best_count = HeaderRow(index, columns, unknown, repeated), len(columns)
        # A row naming every column cannot be beaten: the rows below it are data.
        if searched >= HEADER_SEARCH_ROWS or best_count == len(spec.columns):
            break
    return best


def header_rows(sheet: RawSheet, table: str, header: HeaderRow) -> list[dict]:
    """The header map of one sheet as plain dict rows (HEADER_COLUMNS keys): one per contract column its header names."""
    return [
        {"table_name": table, "source_file": sheet.source_file, "source_sheet": sheet.source_sheet,
         "column": name, "column_header": text, "column_letter": letter}
        for name, (letter, text) in header.columns.items()
    ]


def empty_headers() -> pl.DataFrame:
    """A header map with no rows."""
    return pl.DataFrame(schema=HEADER_COLUMNS)


def headers_frame(rows: list[dict]) -> pl.DataFrame:
    """A header map from plain dict rows (HEADER_COLUMNS keys)."""
    return pl.DataFrame(rows, schema=HEADER_COLUMNS) if rows else empty_headers()


def column_locations(headers: pl.DataFrame, table: str, column: str) -> pl.DataFrame:
    """Where contract column ``column`` of ``table`` sits in each sheet that has it: header as written and letter."""
    located = headers.filter((pl.col("table_name") == table) & (pl.col("column") == column))
    return located.select("source_file", "source_sheet", "column_header", "column_letter")
