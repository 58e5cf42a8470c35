"""The blank workbook a county fills in: one sheet per contract table with a note row, headers and drop-downs."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from config import Rules
from edustat.template.columns import ColumnHelp, column_help
from schemas.tables import TABLES, TableSpec

NOTE_ROW = 1
"""Excel row of the bilingual note above each header; the reader takes it as a title row."""

HEADER_ROW = 2
"""Excel row of the Chinese headers; data go below it."""

DEFAULT_ROWS = 5000
"""Rows below the header that carry the drop-downs and number checks."""

# Excel's limits on data-validation texts.
_TITLE_CHARS = 32
_MESSAGE_CHARS = 255


def _validation(help_: ColumnHelp) -> dict | None:
    """The xlsxwriter data-validation options of one column, or None when it takes free text."""
    allowed = help_.allowed
    if allowed is None:
        return None
    if allowed.kind == "list":
        options: dict = {"validate": "list", "source": list(allowed.choices)}
    elif allowed.kind in ("integer", "decimal"):
        options = {"validate": allowed.kind, "criteria": ">=", "value": 0}
    else:
        options = {"validate": "length", "criteria": "==", "value": allowed.length}
    message = "\n".join(part for part in (help_.rule_zh, help_.detail_zh, f"{help_.column.name}: {help_.rule_en}") if part)
    return options | {
        "input_title": help_.header[:_TITLE_CHARS],
        "input_message": message[:_MESSAGE_CHARS],
        "error_title": "输入不符合要求 Invalid entry"[:_TITLE_CHARS],
        "error_message": message[:_MESSAGE_CHARS],
    }


def note_text(help_: ColumnHelp) -> str:
    """The note above one header: English column name, then the rule in Chinese and in English."""
    return f"{help_.column.name}\n{help_.rule_zh}\n{help_.rule_en}"


def _comment_text(table: TableSpec, help_: ColumnHelp) -> str:
    """The header's comment: the full rule, with the table's grain."""
    lines = (help_.column.name, help_.rule_zh, help_.detail_zh, help_.rule_en, f"{table.grain.zh} / {table.grain.en}")
    return "\n".join(line for line in lines if line)


def _write_table_sheet(book: Workbook, ws: Worksheet, table: TableSpec, helps: list[ColumnHelp], rows: int) -> None:
    """Note row, header row, column formats and widths, drop-downs and number checks of one table sheet."""
    note_format = book.add_format(
        {"italic": True, "font_size": 9, "font_color": "#595959", "text_wrap": True, "valign": "top", "bg_color": "#F2F2F2"}
    )
    header_format = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center", "bg_color": "#D9E1F2", "border": 1}
    )
    # Excel's built-in Text format (49, "@"): a custom "@" is shown as Custom, and some readers take it for General.
    text_format = book.add_format({"num_format": 49})
    note, header, first_data = NOTE_ROW - 1, HEADER_ROW - 1, HEADER_ROW
    for col, help_ in enumerate(helps):
        width = max(14, min(28, 2 * len(help_.header) + 2))
        ws.set_column(col, col, width, text_format if help_.is_text else None)
        ws.write_string(note, col, note_text(help_), note_format)
        ws.write_string(header, col, help_.header, header_format)
        ws.write_comment(header, col, _comment_text(table, help_), {"author": "edustat", "x_scale": 2.5, "y_scale": 2})
        options = _validation(help_)
        if options is not None:
            ws.data_validation(first_data, col, first_data + rows - 1, col, options)
    ws.set_row(note, 64)
    ws.set_row(header, 32)
    ws.freeze_panes(HEADER_ROW, 0)


def write_template(out_path: Path, rules: Rules, rows: int = DEFAULT_ROWS) -> Path:
    """Write the blank county workbook to ``out_path`` and return it: one sheet per contract table, in contract order.

    Each sheet: a bilingual note row (English name, rule), the Chinese headers (units in
    full-width parentheses), then ``rows`` empty rows with drop-down lists and number checks.
    """
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(out_path))
    try:
        for table in TABLES.values():
            _write_table_sheet(book, book.add_worksheet(table.sheet_zh), table, column_help(table, rules), rows)
    finally:
        book.close()
    return out_path
