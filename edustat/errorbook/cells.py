"""Read one sheet of a clerk's file as raw cells at their Excel coordinates (.xlsx, .xls, .csv), within a cell budget.

Rows are read in order and kept whole while they fit in the budget and in Excel's grid; a sheet that
goes on beyond is cut below its last kept row (``SourceSheet.cut_below``), and the rest is never read.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries
from python_calamine import CalamineWorkbook

from edustat.errorbook.xlsx_layout import Layout, sheet_layouts
from edustat.ingest.discover import open_input

_OPENPYXL_SUFFIXES = {".xlsx", ".xlsm"}
_CSV_ENCODINGS = ("utf-8-sig", "gb18030")

EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
"""Excel's grid: no copy reaches beyond it."""

Row = tuple[int, list[tuple[int, Any, str | None]]]
"""One source row: its 1-based number and its non-empty cells as (column, value, number format or None)."""


@dataclass
class SourceSheet:
    """The non-empty cells of one source sheet: one entry per cell, keyed by 1-based (row, column)."""

    cells: dict[tuple[int, int], Any]
    merged_ranges: list[str] = field(default_factory=list)
    number_formats: dict[tuple[int, int], str] = field(default_factory=dict)
    column_widths: dict[str, tuple[int, int, float]] = field(default_factory=dict)
    """First column letter → (first index, last index, width) of each run of columns with a set width."""
    cut_below: int | None = None
    """The last row read when the sheet goes on beyond the budget (its copy ends there); None when read whole."""

    @property
    def first_row(self) -> int:
        """Row of the topmost non-empty cell (1 for an empty sheet)."""
        return min((r for r, _ in self.cells), default=1)

    @property
    def first_col(self) -> int:
        """Column of the leftmost non-empty cell (1 for an empty sheet)."""
        return min((c for _, c in self.cells), default=1)


def take_rows(rows: Iterable[Row], max_cells: int | None) -> SourceSheet:
    """Whole rows of ``rows`` (in order) while they fit in ``max_cells`` cells (None: no budget) and in Excel's grid.

    Cells beyond Excel's last column are dropped; the first row that does not fit ends the reading.
    """
    cells: dict[tuple[int, int], Any] = {}
    formats: dict[tuple[int, int], str] = {}
    last = 0
    for number, row in rows:
        kept = [(col, value, fmt) for col, value, fmt in row if col <= EXCEL_COLUMNS]
        if not kept:
            continue
        if number > EXCEL_ROWS or (max_cells is not None and len(cells) + len(kept) > max_cells):
            return SourceSheet(cells=cells, number_formats=formats, cut_below=last)
        for col, value, fmt in kept:
            cells[(number, col)] = value
            if fmt and fmt != "General":
                formats[(number, col)] = fmt
        last = number
    return SourceSheet(cells=cells, number_formats=formats)


def _within(ranges: Iterable[str], sheet: SourceSheet) -> list[str]:
    """The merged ranges that end above a cut sheet's cut (all of them when it was read whole)."""
    if sheet.cut_below is None:
        return list(ranges)
    kept = []
    for text in ranges:
        try:
            bottom = range_boundaries(text)[3]
        except (ValueError, TypeError):
            continue
        if bottom is not None and bottom <= sheet.cut_below:
            kept.append(text)
    return kept


def _plain(value: Any) -> Any:
    """A cell value as a clerk would see it: empty strings are empty, whole floats are integers."""
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _openpyxl_rows(ws: Any) -> Iterator[Row]:
    """The rows of a read-only openpyxl worksheet as they stream by: values (cached results for formulas) and number formats."""
    # A declared dimension would pad every row to its width (a bomb declares XFD1048576): only written cells count.
    ws.reset_dimensions()
    for row in ws.iter_rows():
        cells, number = [], 0
        for cell in row:
            value = _plain(cell.value)
            if value is not None:
                cells.append((cell.column, value, cell.number_format))
                number = cell.row
        if cells:
            yield number, cells


def _openpyxl_sheet(ws: Any, layout: Layout, max_cells: int | None) -> SourceSheet:
    """One streamed openpyxl worksheet within the budget, with the merges and widths of its XML (``layout``)."""
    sheet = take_rows(_openpyxl_rows(ws), max_cells)
    merged, widths = layout
    sheet.merged_ranges, sheet.column_widths = _within(merged, sheet), widths
    return sheet


def _calamine_sheet(data: Any, max_cells: int | None) -> SourceSheet:
    """Values and merges of one calamine sheet; calamine skips leading empty rows/columns, so ``start`` is added back."""
    start = data.start or (0, 0)
    # Only the rows the budget can hold (and one more, to know the sheet goes on) become Python values.
    nrows = None if max_cells is None else max_cells // max(1, data.width) + 1
    taken = data.to_python(skip_empty_area=True, nrows=nrows)
    rows = (
        (start[0] + i + 1, [(start[1] + j + 1, value, None) for j, raw in enumerate(row) if (value := _plain(raw)) is not None])
        for i, row in enumerate(taken)
    )
    sheet = take_rows(rows, max_cells)
    if sheet.cut_below is None and len(taken) < data.height:
        # Sparse rows left room in the budget, but the rows beyond ``nrows`` were never read.
        sheet.cut_below = start[0] + len(taken)
    merged = []
    for (top, left), (bottom, right) in data.merged_cell_ranges or []:
        first = get_column_letter(left + 1) + str(top + 1)
        last = get_column_letter(right + 1) + str(bottom + 1)
        if first != last:
            merged.append(f"{first}:{last}")
    sheet.merged_ranges = _within(merged, sheet)
    return sheet


def _each_sheet(sheets: list[str], names: list[str], extract: Callable[[str], SourceSheet]) -> dict[str, SourceSheet | None]:
    """``extract`` applied to each wanted sheet that exists; a sheet that is missing or fails to extract maps to None."""
    found: dict[str, SourceSheet | None] = {}
    for sheet in sheets:
        name = _match_name(sheet, names)
        try:
            found[sheet] = extract(name) if name is not None else None
        except Exception:  # noqa: BLE001 - one broken sheet loses only its own copy
            found[sheet] = None
    return found


def _read_openpyxl(data: bytes, sheets: list[str], max_cells: int | None) -> dict[str, SourceSheet | None]:
    """The wanted sheets of an .xlsx workbook's bytes, opened once and streamed (only the rows the budget holds are read)."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        layouts = sheet_layouts(io.BytesIO(data), [name for sheet in sheets if (name := _match_name(sheet, book.sheetnames))])
        return _each_sheet(sheets, book.sheetnames, lambda name: _openpyxl_sheet(book[name], layouts.get(name, ([], {})), max_cells))
    finally:
        book.close()


def _read_calamine(data: bytes, sheets: list[str], max_cells: int | None = None) -> dict[str, SourceSheet | None]:
    """The wanted sheets of an .xls (or any calamine-readable) workbook's bytes, opened once."""
    book = CalamineWorkbook.from_object(io.BytesIO(data))
    try:
        return _each_sheet(sheets, book.sheet_names, lambda name: _calamine_sheet(book.get_sheet_by_name(name), max_cells))
    finally:
        book.close()


def decode_csv(raw: bytes) -> str:
    """CSV bytes → text: UTF-8 (with or without BOM) first, else GB18030 (a superset of GBK), as Excel on Chinese Windows saves."""
    for encoding in _CSV_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def _read_csv(data: bytes, max_cells: int | None) -> SourceSheet:
    """Every field of a CSV file's bytes as text at (record number, field number), within the budget: Excel shows record n on row n."""
    records = csv.reader(io.StringIO(decode_csv(data), newline=""))
    rows = ((i, [(j, raw, None) for j, raw in enumerate(record, start=1) if raw != ""]) for i, record in enumerate(records, start=1))
    return take_rows(rows, max_cells)


def _match_name(wanted: str, names: list[str]) -> str | None:
    """The sheet called ``wanted``; failing that, the one equal to it ignoring case and surrounding spaces."""
    if wanted in names:
        return wanted
    folded = wanted.strip().casefold()
    return next((n for n in names if n.strip().casefold() == folded), None)


def read_source_sheets(path: Path, sheets: list[str], max_cells: int | None = None) -> dict[str, SourceSheet | None]:
    """The raw cells of each wanted sheet of ``path`` (a CSV is its own single sheet), None for any that cannot be read.

    Each sheet holds whole rows up to ``max_cells`` cells (None: Excel's grid only) and says where it
    was cut. The file is read once, as an input file (a link in its place is not followed); .xlsx is
    streamed through openpyxl (falling back to calamine), .xls and anything else go through calamine,
    .csv through the csv module.
    """
    nothing: dict[str, SourceSheet | None] = dict.fromkeys(sheets)
    suffix = path.suffix.lower()
    try:
        with open_input(path) as handle:
            data = handle.read()
        if suffix == ".csv":
            return dict.fromkeys(sheets, _read_csv(data, max_cells))
        if suffix in _OPENPYXL_SUFFIXES:
            try:
                return _read_openpyxl(data, sheets, max_cells)
            except Exception:  # noqa: BLE001 - a workbook openpyxl rejects may still open with calamine
                pass
        return _read_calamine(data, sheets, max_cells)
    except Exception:  # noqa: BLE001 - an unreadable source only loses its copies, never the error workbook
        return nothing
