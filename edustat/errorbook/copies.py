"""Rebuild one source sheet from its cells in a workbook (a marked copy of an .xls, a .csv or a large workbook), and the marks."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from edustat.errorbook.cell_writing import MAX_CELL_CHARS, safe_text, set_cell
from edustat.errorbook.cells import SourceSheet

SEVERITY_LABELS = {"error": "错误 Error", "warning": "警告 Warning"}
"""How each severity is written for a clerk."""

ERROR_FILL = PatternFill(fill_type="solid", fgColor="FFFF7C80")
WARNING_FILL = PatternFill(fill_type="solid", fgColor="FFFFFF00")
ERROR_TAB_COLOR = "FFFF0000"
WARNING_TAB_COLOR = "FFFFC000"
COMMENT_AUTHOR = "edustat"


@dataclass(frozen=True)
class Mark:
    """One problem pinned to one cell of a copied sheet (1-based row and column)."""

    row: int
    col: int
    is_error: bool
    severity: str | None
    rule: str | None
    message_zh: str | None
    message_en: str | None

    @property
    def coordinate(self) -> str:
        """The A1 reference of the marked cell."""
        return f"{get_column_letter(self.col)}{self.row}"


def severity_label(severity: str | None) -> str:
    """错误 Error / 警告 Warning, or the raw severity when it is neither."""
    return SEVERITY_LABELS.get(severity or "", severity or "")


def _comment_text(marks: list[Mark]) -> str:
    """All problems of one cell in one note, errors first."""
    blocks = []
    for mark in sorted(marks, key=lambda m: not m.is_error):
        head = f"[{severity_label(mark.severity)}] {mark.rule or ''}".rstrip()
        lines = [head, mark.message_zh or "", mark.message_en or ""]
        blocks.append("\n".join(line for line in lines if line))
    return safe_text("\n\n".join(blocks))[:MAX_CELL_CHARS]


def mark_comment(marks: list[Mark]) -> Comment:
    """The note on a marked cell: its problems in Chinese and English, errors first, sized to be read without dragging."""
    text = _comment_text(marks)
    lines = sum(max(1, len(line) // 30 + 1) for line in text.split("\n"))
    comment = Comment(text, COMMENT_AUTHOR)
    # Sized so the bilingual text is readable without dragging the note open.
    comment.width = 320
    comment.height = min(600, 20 + 16 * lines)
    return comment


def _mergeable(ranges: list[str], marked: set[tuple[int, int]]) -> list[str]:
    """Merged ranges that hide no marked cell (a merge keeps only its top-left cell writable)."""
    kept = []
    for text in ranges:
        try:
            left, top, right, bottom = range_boundaries(text)
        except (ValueError, TypeError):
            continue
        hides_mark = any(
            top <= r <= bottom and left <= c <= right and (r, c) != (top, left) for r, c in marked
        )
        if not hides_mark:
            kept.append(text)
    return kept


def cut_note(last_row: int) -> str:
    """The line below a cut copy: where it ends, and that the clerk must correct the original file instead."""
    return (
        f"副本到此为止：工作表过大，第 {last_row:,} 行以下未复制。本工作簿不能代替原文件报送，请在原文件中改正后重新报送。"
        f" The copy ends here: the sheet is too large, rows below {last_row:,} are not copied."
        " Do not send this workbook in place of the file: correct the original file and send it again."
    )


def _write_cut_note(ws: Worksheet, source: SourceSheet) -> None:
    if source.cut_below is None:
        return
    cell = ws.cell(row=source.cut_below + 1, column=source.first_col)
    set_cell(cell, cut_note(source.cut_below))
    cell.fill = ERROR_FILL
    cell.font = Font(bold=True)


def copy_sheet(ws: Worksheet, source: SourceSheet, marks: list[Mark]) -> None:
    """Fill ``ws`` with every cell of ``source`` at the same coordinates, then fill and annotate the marked cells.

    A source cut below a row (``SourceSheet.cut_below``) gets a note on the row under it; ``marks``
    must lie within what was read.
    """
    for (row, col), value in source.cells.items():
        cell = ws.cell(row=row, column=col)
        set_cell(cell, value)
        number_format = source.number_formats.get((row, col))
        if number_format:
            cell.number_format = number_format
    for letter, (first, last, width) in source.column_widths.items():
        dimension = ws.column_dimensions[letter]
        dimension.width = width
        if 0 < first <= last:
            dimension.min, dimension.max = first, last
    by_cell: dict[tuple[int, int], list[Mark]] = {}
    for mark in marks:
        by_cell.setdefault((mark.row, mark.col), []).append(mark)
    for text in _mergeable(source.merged_ranges, set(by_cell)):
        ws.merge_cells(text)
    for (row, col), cell_marks in by_cell.items():
        cell = ws.cell(row=row, column=col)
        cell.fill = ERROR_FILL if any(m.is_error for m in cell_marks) else WARNING_FILL
        cell.comment = mark_comment(cell_marks)
    _write_cut_note(ws, source)
    if marks:
        ws.sheet_properties.tabColor = ERROR_TAB_COLOR if any(m.is_error for m in marks) else WARNING_TAB_COLOR
