"""Read one sheet of a clerk's file as raw cells at their Excel coordinates (.xlsx, .xls, .csv)."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import openpyxl
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from edustat.ingest.discover import open_input

_OPENPYXL_SUFFIXES = {".xlsx", ".xlsm"}
_CSV_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass
class SourceSheet:
    """The non-empty cells of one source sheet: one entry per cell, keyed by 1-based (row, column)."""

    cells: dict[tuple[int, int], Any]
    merged_ranges: list[str] = field(default_factory=list)
    number_formats: dict[tuple[int, int], str] = field(default_factory=dict)
    column_widths: dict[str, tuple[int, int, float]] = field(default_factory=dict)
    """First column letter → (first index, last index, width) of each run of columns with a set width."""

    @property
    def first_row(self) -> int:
        """Row of the topmost non-empty cell (1 for an empty sheet)."""
        return min((r for r, _ in self.cells), default=1)

    @property
    def first_col(self) -> int:
        """Column of the leftmost non-empty cell (1 for an empty sheet)."""
        return min((c for _, c in self.cells), default=1)


def _plain(value: Any) -> Any:
    """A cell value as a clerk would see it: empty strings are empty, whole floats are integers."""
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _openpyxl_sheet(ws: Any) -> SourceSheet:
    """Values (cached results for formulas), merges, number formats and widths of one openpyxl worksheet."""
    cells: dict[tuple[int, int], Any] = {}
    formats: dict[tuple[int, int], str] = {}
    for row in ws.iter_rows():
        for cell in row:
            value = _plain(cell.value)
            if value is None:
                continue
            cells[(cell.row, cell.column)] = value
            if cell.number_format and cell.number_format != "General":
                formats[(cell.row, cell.column)] = cell.number_format
    widths = {
        key: (dim.min or 0, dim.max or 0, dim.width)
        for key, dim in ws.column_dimensions.items()
        if dim.customWidth and dim.width
    }
    merged = [str(r) for r in ws.merged_cells.ranges]
    return SourceSheet(cells=cells, merged_ranges=merged, number_formats=formats, column_widths=widths)


def _calamine_sheet(data: Any) -> SourceSheet:
    """Values and merges of one calamine sheet; calamine skips leading empty rows/columns, so ``start`` is added back."""
    start = data.start or (0, 0)
    cells: dict[tuple[int, int], Any] = {}
    for i, row in enumerate(data.to_python(skip_empty_area=True)):
        for j, raw in enumerate(row):
            value = _plain(raw)
            if value is not None:
                cells[(start[0] + i + 1, start[1] + j + 1)] = value
    merged = []
    for (top, left), (bottom, right) in data.merged_cell_ranges or []:
        first = get_column_letter(left + 1) + str(top + 1)
        last = get_column_letter(right + 1) + str(bottom + 1)
        if first != last:
            merged.append(f"{first}:{last}")
    return SourceSheet(cells=cells, merged_ranges=merged)


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


def _read_openpyxl(source: Path | BinaryIO, sheets: list[str]) -> dict[str, SourceSheet | None]:
    """The wanted sheets of an .xlsx workbook (a path or its bytes), opened once."""
    book = openpyxl.load_workbook(source, data_only=True)
    try:
        return _each_sheet(sheets, book.sheetnames, lambda name: _openpyxl_sheet(book[name]))
    finally:
        book.close()


def _read_calamine(source: Path | BinaryIO, sheets: list[str]) -> dict[str, SourceSheet | None]:
    """The wanted sheets of an .xls (or any calamine-readable) workbook (a path or its bytes), opened once."""
    book = CalamineWorkbook.from_object(source)
    try:
        return _each_sheet(sheets, book.sheet_names, lambda name: _calamine_sheet(book.get_sheet_by_name(name)))
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


def _read_csv(data: bytes) -> SourceSheet:
    """Every field of a CSV file's bytes as text at (record number, field number): Excel shows record n on row n."""
    text = decode_csv(data)
    cells: dict[tuple[int, int], Any] = {}
    for i, record in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        for j, raw in enumerate(record, start=1):
            if raw != "":
                cells[(i, j)] = raw
    return SourceSheet(cells=cells)


def _match_name(wanted: str, names: list[str]) -> str | None:
    """The sheet called ``wanted``; failing that, the one equal to it ignoring case and surrounding spaces."""
    if wanted in names:
        return wanted
    folded = wanted.strip().casefold()
    return next((n for n in names if n.strip().casefold() == folded), None)


def read_source_sheets(path: Path, sheets: list[str]) -> dict[str, SourceSheet | None]:
    """The raw cells of each wanted sheet of ``path`` (a CSV is its own single sheet), None for any that cannot be read.

    The file is read once, as an input file (a link in its place is not followed); .xlsx goes
    through openpyxl (falling back to calamine), .xls and anything else through calamine, .csv
    through the csv module.
    """
    nothing: dict[str, SourceSheet | None] = dict.fromkeys(sheets)
    suffix = path.suffix.lower()
    try:
        with open_input(path) as handle:
            data = handle.read()
        if suffix == ".csv":
            return dict.fromkeys(sheets, _read_csv(data))
        if suffix in _OPENPYXL_SUFFIXES:
            try:
                return _read_openpyxl(io.BytesIO(data), sheets)
            except Exception:  # noqa: BLE001 - a workbook openpyxl rejects may still open with calamine
                pass
        return _read_calamine(io.BytesIO(data), sheets)
    except Exception:  # noqa: BLE001 - an unreadable source only loses its copies, never the error workbook
        return nothing


def read_source_sheet(path: Path, sheet: str) -> SourceSheet | None:
    """The raw cells of one sheet of ``path``, or None when it cannot be read."""
    return read_source_sheets(path, [sheet])[sheet]
