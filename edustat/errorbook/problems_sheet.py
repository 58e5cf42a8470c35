"""The first sheet of the error workbook: one row per problem, errors first, with a link to the marked cell."""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from edustat.errorbook.cell_writing import set_cell
from edustat.errorbook.copies import ERROR_FILL, WARNING_FILL, severity_label
from schemas.words import plural

HEADER_ROW = 2
"""Row 1 holds the summary line; the column headers sit on row 2 and problems start below."""

# (header, key in a problem row, column width)
PROBLEM_COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("序号 No.", "number", 7),
    ("严重程度 Severity", "severity_label", 13),
    ("文件 File", "source_file", 28),
    ("工作表 Sheet", "source_sheet", 14),
    ("行 Row", "source_row", 7),
    ("列标题 Column", "column_header", 18),
    ("单元格 Cell", "cell", 9),
    ("值 Value", "value", 16),
    ("规则 Rule", "rule", 20),
    ("说明 Message (中文)", "message_zh", 48),
    ("Message (English)", "message_en", 48),
    ("定位 Go to (副本 copy)", "link_text", 30),
)

_HEADER_FILL = PatternFill(fill_type="solid", fgColor="FFD9E1F2")


MAX_LISTED = 1_048_576 - HEADER_ROW - 1
"""Problem rows that fit below the header in Excel's 1,048,576 rows, leaving one for the note on the rest."""

MAX_LINKS = 65_530
"""Excel's limit on hyperlinks in one worksheet: rows beyond it name their cell without a link."""


def summary_line(error_count: int, warning_count: int, cut_copies: list[str] | tuple[str, ...] = (), copies_dir: str | None = None) -> str:
    """The line above the problem list: how many errors and warnings, where the marked copies are, what to do with them,
    and which copies are cut (those must not be sent back)."""
    if copies_dir:
        line = (
            f"共 {error_count} 个错误、{warning_count} 个警告。每个有问题的文件在文件夹 {copies_dir} 中有一份标注副本（同名）："
            f"改正其中的红色单元格（黄色为警告，请核实），再用副本代替原文件重新报送。"
            f" {plural(error_count, 'error')}, {plural(warning_count, 'warning')}. Each file with a problem has a marked copy of the same name in the folder {copies_dir}:"
            " correct its red cells (check the yellow ones) and send the copy back in place of the original."
        )
    else:
        line = (
            f"共 {error_count} 个错误、{warning_count} 个警告：错误须改正后重新报送，警告请核实。"
            f" {plural(error_count, 'error')}, {plural(warning_count, 'warning')}: fix the errors and send the files again; check the warnings."
        )
    if cut_copies:
        names = "、".join(cut_copies)
        line += (
            f" 副本 {names} 过大、不完整：请在原文件中改正，不要用副本代替原文件。"
            f" The copies {', '.join(cut_copies)} are cut (the sheets are too large): correct the original files instead of sending these copies."
        )
    return line


def unlisted_line(count: int) -> str:
    """The last row of a list cut at Excel's last row: how many problems it leaves out."""
    return f"另有 {count:,} 个问题超出 Excel 行数上限，未列出。 {count:,} more problems do not fit in Excel's rows and are not listed."


def write_problems(
    ws: Worksheet,
    problems: list[dict[str, Any]],
    totals: tuple[int, int],
    cut_copies: list[str] | tuple[str, ...] = (),
    line: str | None = None,
    copies_dir: str | None = None,
) -> None:
    """Write the problem list into ``ws``: a summary line, a header row, then one row per problem in the given order.

    ``totals`` are the (errors, warnings) found (a bounded list counts more than it lists); ``cut_copies``
    the copies cut for their size; ``line`` replaces the summary line. Each problem dict holds the issue fields
    plus ``link_sheet``/``link_cell`` (None when no cell is marked) and, when the mark is in another workbook,
    ``link_file`` (its path from this workbook's folder); the row gets a hyperlink to the mark (``#'sheet'!C7``,
    or ``file#'sheet'!C7``), up to Excel's limit of links. Rows beyond Excel's last row are counted on one last row instead.
    """
    set_cell(ws.cell(row=1, column=1), line if line is not None else summary_line(*totals, cut_copies, copies_dir))
    ws.cell(row=1, column=1).font = Font(bold=True)
    # The line is read whole on screen and on paper: wrapped across the list's width, the page landscape and one page wide.
    ws.cell(row=1, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(PROBLEM_COLUMNS))
    ws.row_dimensions[1].height = 48
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    for col, (header, _, width) in enumerate(PROBLEM_COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    link_col = len(PROBLEM_COLUMNS)
    listed = problems[:MAX_LISTED]
    for offset, problem in enumerate(listed, start=1):
        row = HEADER_ROW + offset
        fields = problem | {
            "number": offset,
            "severity_label": severity_label(problem.get("severity")),
            "link_text": None,
        }
        if problem.get("link_sheet"):
            fields["link_text"] = f"{problem['link_sheet']}!{problem['link_cell']}"
            if problem.get("link_file"):
                fields["link_text"] = f"{problem['link_file']} › {fields['link_text']}"
        for col, (_, key, _) in enumerate(PROBLEM_COLUMNS, start=1):
            set_cell(ws.cell(row=row, column=col), fields.get(key))
        ws.cell(row=row, column=2).fill = ERROR_FILL if problem.get("severity") == "error" else WARNING_FILL
        if problem.get("link_sheet") and offset <= MAX_LINKS:
            link = ws.cell(row=row, column=link_col)
            location = f"'{problem['link_sheet']}'!{problem['link_cell']}"
            link.hyperlink = Hyperlink(ref=link.coordinate, target=problem.get("link_file"), location=location)
            link.style = "Hyperlink"
    if len(problems) > len(listed):
        set_cell(ws.cell(row=HEADER_ROW + len(listed) + 1, column=1), unlisted_line(len(problems) - len(listed)))
    last_col = get_column_letter(len(PROBLEM_COLUMNS))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{HEADER_ROW + max(1, len(listed))}"
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
