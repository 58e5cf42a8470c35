"""The top rows of a raw sheet read in Python, fetched in growing chunks; whether a sheet holds any text at all."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

import polars as pl

from edustat.ingest.cell_conversion import as_written

BLANK_SCAN_ROWS = 64
"""Rows checked cell by cell in Python before a sheet that looks empty is scanned whole (vectorised)."""


FIRST_FETCH_ROWS = 4
"""Rows converted to Python at first when a sheet is read from the top; each further fetch takes four times more."""


def has_text(cell: object) -> bool:
    """True when ``cell`` holds something other than spaces."""
    return cell is not None and bool(str(cell).strip())


def rows_from_top(data: pl.DataFrame) -> Iterator[tuple]:
    """The rows of ``data`` as tuples, from the top, fetched in growing chunks (searches mostly stop in the first few)."""
    offset, size = 0, FIRST_FETCH_ROWS
    while offset < data.height:
        yield from data.slice(offset, size).rows()
        offset += size
        size *= 4


def sheet_is_blank(data: pl.DataFrame) -> bool:
    """True when no cell of the sheet holds anything but spaces."""
    if data.width == 0 or data.height == 0:
        return True
    # Nearly every sheet has text in its first rows: answering from them saves a query per sheet.
    if any(has_text(cell) for row in islice(rows_from_top(data), BLANK_SCAN_ROWS) for cell in row):
        return False
    return not data.select(_row_has_content(data.columns).any()).item()


def _row_has_content(letters: list[str]) -> pl.Expr:
    return pl.any_horizontal([as_written(pl.col(letter)).is_not_null() for letter in letters]).fill_null(False)
