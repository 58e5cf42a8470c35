"""The clerk's marked copy: one whole input file, its problem cells filled and annotated, its problems listed first.

Grain: one copy per input file with a problem, at the same relative path below the copies folder
(``errors/errors_2020/``); a ``.csv`` or ``.xls`` file's copy is an ``.xlsx`` of the same stem. An
``.xlsx`` whose sheets hold at most the cell budget is the original itself, loaded and saved with
openpyxl (every sheet, cell, merge, width, number format, style, hidden sheet and drop-down list kept;
formulas are kept as the values the clerk last saw, so the copy reads the same even unopened). A larger
workbook, an ``.xls`` and a ``.csv`` are rebuilt sheet by sheet from their cells (values, merges,
widths, number formats), each sheet within the budget; a sheet cut for its size makes the copy one
that must not be sent back, which its first sheet says.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineWorkbook

from edustat.errorbook.cells import EXCEL_COLUMNS, EXCEL_ROWS, read_source_sheets
from edustat.errorbook.copies import COMMENT_AUTHOR, ERROR_FILL, ERROR_TAB_COLOR, WARNING_FILL, WARNING_TAB_COLOR, Mark, copy_sheet, mark_comment
from edustat.errorbook.names import SheetNamer
from edustat.errorbook.problems_sheet import write_problems
from edustat.ingest.discover import is_inside, open_input
from edustat.ingest.read import PROBLEMS_SHEET, is_problems_sheet
from schemas.words import plural

NO_COPY_RULES = frozenset(
    {
        "not_a_workbook",
        "file_too_large",
        "compression_ratio_too_high",
        "sheet_too_large",
        "unreadable_file",
        "password_protected",
        "undecodable_csv",
        "internal_error",
        "empty_file",
        "link_outside_folder",
    }
)
"""Rules of a file refused unread: it is not opened again (its copy would rebuild what was refused), its problems are listed only."""

_WHOLE_SUFFIXES = {".xlsx", ".xlsm"}
WHOLE_COPY_MAX_BYTES = 64 * 2**20
"""An .xlsx copied whole is loaded whole by openpyxl (about 20 times its XML in memory): beyond this many bytes of XML
once unpacked (a sample county's workbook has 2 MB), it is rebuilt sheet by sheet instead."""
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class MarkedCopy:
    """One marked copy written: the input file it copies, its path below the copies folder (POSIX), and whether it is cut."""

    source_file: str
    copy_file: str
    is_cut: bool


def copy_name(source_file: str) -> str:
    """The copy's path below the copies folder: the input's relative path, an ``.xls``/``.csv`` as ``.xlsx`` of the same stem."""
    path = PurePosixPath(source_file.replace("\\", "/"))
    return str(path if path.suffix.lower() in _WHOLE_SUFFIXES else path.with_suffix(".xlsx"))


def _fits_whole(data: bytes, budget: int) -> bool:
    """Whether an .xlsx (its bytes) can be copied whole: at most ``WHOLE_COPY_MAX_BYTES`` unpacked and ``budget`` cells in its
    worksheets together (counted while streaming, stopped past it)."""
    count = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(info.file_size for info in archive.infolist()) > WHOLE_COPY_MAX_BYTES:
            return False
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            carry = b""
            with archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    text = carry + chunk
                    cut = text.rfind(b"<")
                    whole, carry = (text[:cut], text[cut:]) if cut > 0 else (text, b"")
                    count += len(_CELL.findall(whole))
                    if count > budget:
                        return False
            count += len(_CELL.findall(carry))
            if count > budget:
                return False
    return True


def _drop_old_marks(book: Workbook) -> None:
    """A copy sent back and marked again: its old problem list and edustat's notes go (their cells lose the fill edustat gave them)."""
    for ws in list(book.worksheets):
        if is_problems_sheet(ws.title):
            book.remove(ws)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None and cell.comment.author == COMMENT_AUTHOR:
                    cell.comment = None
                    cell.fill = PatternFill(fill_type=None)


def _whole_copy(data: bytes, suffix: str) -> Workbook:
    """The original .xlsx as openpyxl holds it: formulas as their cached values, links and (for .xlsm) macros kept."""
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=True, keep_vba=suffix == ".xlsm")
    _drop_old_marks(book)
    return book


def _sheet_list(data: bytes, suffix: str, stem: str) -> list[tuple[str, bool]]:
    """(name, visible) of every sheet of a workbook's bytes (a CSV is one sheet named by its stem)."""
    if suffix == ".csv":
        return [(stem, True)]
    book = CalamineWorkbook.from_object(io.BytesIO(data))
    try:
        return [(meta.name, str(meta.visible).endswith("Visible")) for meta in book.sheets_metadata if not is_problems_sheet(meta.name)]
    finally:
        book.close()


def _display_width(value: object) -> int:
    """Columns a value takes on screen: a CJK character two, any other one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def _fit_widths(ws: Worksheet, cells: dict[tuple[int, int], object], rows: int = 200) -> None:
    """Widths that show a sheet without set widths (a CSV) readably: each column as wide as its widest value in the first
    ``rows`` rows (title lines of one cell excepted), between 6 and 40."""
    widest: dict[int, int] = {}
    by_row: dict[int, int] = {}
    for row, _ in cells:
        by_row[row] = by_row.get(row, 0) + 1
    for (row, col), value in cells.items():
        if row <= rows and by_row[row] > 1:
            widest[col] = max(widest.get(col, 0), _display_width(value))
    for col, width in widest.items():
        ws.column_dimensions[get_column_letter(col)].width = min(40, max(6, width + 2))


def _rebuilt_copy(path: Path, data: bytes, suffix: str, max_cells: int | None) -> tuple[Workbook, dict[str, str], dict[str, int]]:
    """A new workbook with every sheet's cells (each within ``max_cells``): the book, source sheet → copy sheet, and the cut
    sheets (copy sheet → last row copied; 0 for a sheet that could not be read)."""
    sheets = _sheet_list(data, suffix, path.stem)
    sources = read_source_sheets(path, [name for name, _ in sheets], max_cells)
    book = openpyxl.Workbook()
    book.remove(book.active)
    namer = SheetNamer((PROBLEMS_SHEET,))
    titles: dict[str, str] = {}
    cut: dict[str, int] = {}
    for name, visible in sheets:
        source = sources.get(name)
        ws = book.create_sheet(namer.claim(name))
        titles[name] = ws.title
        if source is None:
            cut[ws.title] = 0
            continue
        copy_sheet(ws, source, [])
        if not source.column_widths:
            _fit_widths(ws, source.cells)
        if source.cut_below is not None:
            cut[ws.title] = source.cut_below
        if not visible:
            ws.sheet_state = "hidden"
    return book, titles, cut


def _find_sheet(book: Workbook, titles: dict[str, str], name: str | None) -> Worksheet | None:
    """The copy's sheet for a problem's source sheet: by the rebuilt name, exactly, or ignoring case and spaces."""
    if not name:
        return None
    title = titles.get(name, name)
    if title in book.sheetnames:
        return book[title]
    folded = title.strip().casefold()
    return next((ws for ws in book.worksheets if ws.title.strip().casefold() == folded), None)


def _target(ws: Worksheet, problem: dict[str, Any]) -> tuple[int, int] | None:
    """The cell a problem marks: its cell; a row without a column → the row's first cell; no row → none (listed only)."""
    row = problem.get("target_row")
    if row is None:
        return None
    col = problem.get("target_col") or ws.min_column or 1
    cell = ws.cell(row=row, column=col)
    if isinstance(cell, MergedCell):
        # Only a merge's top-left cell holds a value and a note.
        for merged in ws.merged_cells.ranges:
            if (row, col) in merged:
                return merged.min_row, merged.min_col
    return row, col


def _mark_cells(ws: Worksheet, marks: dict[tuple[int, int], list[Mark]]) -> None:
    """Fill each marked cell (red for an error, yellow for a warning) and note its problems; the clerk's own note is kept above ours."""
    for (row, col), cell_marks in marks.items():
        cell = ws.cell(row=row, column=col)
        is_error = any(m.is_error for m in cell_marks)
        cell.fill = ERROR_FILL if is_error else WARNING_FILL
        comment = mark_comment(cell_marks)
        if cell.comment is not None and cell.comment.author != COMMENT_AUTHOR and cell.comment.text:
            comment = Comment(f"{cell.comment.text}\n\n{comment.text}"[: 32_767], COMMENT_AUTHOR, comment.height, comment.width)
        cell.comment = comment
    if marks:
        ws.sheet_properties.tabColor = ERROR_TAB_COLOR if any(m.is_error for ms in marks.values() for m in ms) else WARNING_TAB_COLOR


def copy_line(errors: int, warnings: int, original: str, is_cut: bool) -> str:
    """The line on top of a copy's problem list: what to correct and what to send back (or, for a cut copy, not to)."""
    if is_cut:
        return (
            f"本副本不完整（工作表过大，未全部复制），不能代替原文件报送：请在原文件 {original} 中改正 {errors} 个错误（警告 {warnings} 个请核实）后重新报送。"
            f" This copy is INCOMPLETE (the sheets are too large to copy whole) and must NOT be sent back:"
            f" correct the {plural(errors, 'error')} in the original file {original} (check the {plural(warnings, 'warning')}) and send it again."
        )
    return (
        f"共 {errors} 个错误、{warnings} 个警告：请在本工作簿中改正红色单元格（黄色为警告，请核实），然后用本工作簿代替原文件 {original} 重新报送；本页不必删除。"
        f" {plural(errors, 'error')}, {plural(warnings, 'warning')}: correct the red cells in this workbook (check the yellow ones),"
        f" then send this workbook back in place of {original}; this sheet may stay."
    )


def _problem_mark(problem: dict[str, Any], row: int, col: int) -> Mark:
    return Mark(row=row, col=col, is_error=problem["severity"] == "error", severity=problem["severity"], rule=problem["rule"],
                message_zh=problem["message_zh"], message_en=problem["message_en"])


def write_marked_copy(
    source_file: str, problems: list[dict[str, Any]], totals: tuple[int, int], input_dir: Path, copies_dir: Path, max_cells: int | None
) -> MarkedCopy:
    """Write the marked copy of one input file (``source_file`` below ``input_dir``) for its ``problems`` (normalised issue dicts).

    Each problem gets ``link_sheet``/``link_cell`` (its marked cell in the copy, None when it has no cell)
    and ``copy_file``. ``totals`` are the file's (errors, warnings), counted beyond a bounded list.
    Raises on a file that cannot be copied (the caller lists its problems only).
    """
    path = input_dir / source_file
    suffix = path.suffix.lower()
    with open_input(path) as handle:
        data = handle.read()
    book = None
    if suffix in _WHOLE_SUFFIXES and _fits_whole(data, max_cells if max_cells is not None else EXCEL_ROWS * EXCEL_COLUMNS):
        try:
            book, titles, cut = _whole_copy(data, suffix), {}, {}
        except Exception:  # noqa: BLE001 - a workbook openpyxl will not load whole may still be rebuilt from its cells
            book = None
    if book is None:
        book, titles, cut = _rebuilt_copy(path, data, suffix, max_cells)
    is_cut = bool(cut)
    by_sheet: dict[str, dict[tuple[int, int], list[Mark]]] = {}
    only_sheet = book.worksheets[0].title if len(book.worksheets) == 1 else None
    for problem in problems:
        problem["link_sheet"] = problem["link_cell"] = None
        # A CSV is one sheet: a problem on its row names no sheet.
        ws = _find_sheet(book, titles, problem.get("source_sheet") or only_sheet)
        if ws is None:
            continue
        target = _target(ws, problem)
        # A problem below a cut sheet's last copied row has no cell to mark: it is listed only.
        if target is None or target[0] > cut.get(ws.title, target[0]):
            continue
        mark = _problem_mark(problem, *target)
        by_sheet.setdefault(ws.title, {}).setdefault(target, []).append(mark)
        problem["link_sheet"], problem["link_cell"] = ws.title, mark.coordinate
    for title, marks in by_sheet.items():
        _mark_cells(book[title], marks)
    listing = book.create_sheet(PROBLEMS_SHEET, 0)
    write_problems(listing, problems, totals, line=copy_line(*totals, PurePosixPath(source_file).name, is_cut))
    # The clerk opens the copy on its problem list.
    for ws in book.worksheets:
        ws.sheet_view.tabSelected = ws is listing
    book.active = 0
    copy_file = copy_name(source_file)
    out = copies_dir / copy_file
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    for problem in problems:
        problem["copy_file"] = copy_file
    return MarkedCopy(source_file=source_file, copy_file=copy_file, is_cut=is_cut)


def copyable(source_file: str | None, rules: set[str], input_dir: Path) -> bool:
    """Whether a file's problems get a marked copy: a file of the input folder itself, read (not refused) by the pipeline."""
    if not source_file or rules & NO_COPY_RULES:
        return False
    path = input_dir / source_file
    return is_inside(path, input_dir) and path.is_file()
