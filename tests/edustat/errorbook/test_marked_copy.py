"""The marked copy opened as a clerk's spreadsheet program would: the problem cells filled and noted, nothing else changed."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import polars as pl
import pytest
import xlsxwriter

from edustat.errorbook import write_error_workbook
from edustat.errorbook.problems_sheet import HEADER_ROW, PROBLEM_COLUMNS
from edustat.ingest.read import PROBLEMS_SHEET, read_file
from schemas.rules import load_rules

ERROR_RGB = "FFFF7C80"
WARNING_RGB = "FFFFFF00"
FILE = "622921_临夏县.xlsx"
MARKED = {("在校生", "C4"): "error", ("在校生", "D6"): "warning", ("学校名录", "A5"): "error"}


@pytest.fixture
def original(tmp_path: Path) -> Path:
    """A clerk's workbook as Excel would save it (xlsxwriter): title rows merged, set widths, number formats, bold headers,
    a clerk's note, a formula with its cached value, frozen panes, and a hidden sheet feeding a drop-down list."""
    folder = tmp_path / "in"
    folder.mkdir()
    book = xlsxwriter.Workbook(folder / FILE)
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "0.00"})
    text = book.add_format({"num_format": "@"})
    schools = book.add_worksheet("学校名录")
    schools.merge_range("A1:C1", "2020年临夏县学校名录", bold)
    schools.write_row(2, 0, ["学校标识码", "学校名称", "行政区划代码"], bold)
    for i in range(4):
        schools.write_string(3 + i, 0, f"216200200{i}", text)
        schools.write_row(3 + i, 1, [f"第{i + 1}小学", "622921"])
    schools.set_column("A:A", 16, text)
    schools.set_column("B:B", 30)
    schools.freeze_panes(3, 0)
    enrollment = book.add_worksheet("在校生")
    enrollment.merge_range("A1:E1", "2020年临夏县在校生情况表", bold)
    enrollment.write_row(2, 0, ["学校标识码", "学段", "在校生数", "招生数", "经费"], bold)
    for i in range(4):
        enrollment.write_string(3 + i, 0, f"216200200{i}")
        enrollment.write_row(3 + i, 1, ["小学", 100 + i, 20 + i])
        enrollment.write_number(3 + i, 4, 12.5 + i, money)
    enrollment.write_formula(7, 2, "=SUM(C4:C7)", bold, 406)
    enrollment.write_comment("B4", "学段按下拉表填写", {"author": "clerk"})
    enrollment.data_validation("B4:B7", {"validate": "list", "source": "=lists!$A$1:$A$3"})
    enrollment.set_column("C:D", 12)
    lists = book.add_worksheet("lists")
    lists.write_column(0, 0, ["学前", "小学", "初中"])
    lists.hide()
    book.close()
    return folder


def _issue(severity: str, sheet: str, cell: str, rule: str) -> dict:
    return {"severity": severity, "table_name": "enrollment", "source_file": FILE, "source_sheet": sheet, "source_row": int(cell[1:]),
            "column_header": None, "cell": cell, "value": None, "rule": rule, "message_zh": f"中文说明 {rule}", "message_en": f"English {rule}"}


@pytest.fixture
def copy(tmp_path: Path, original: Path) -> Path:
    issues = [_issue(severity, sheet, cell, f"rule_{cell}") for (sheet, cell), severity in MARKED.items()]
    # A missing row has no cell: it is listed on the copy's first sheet only.
    issues.append({**_issue("error", "安保", "A1", "row_missing"), "source_sheet": None, "source_row": None, "cell": None})
    out = write_error_workbook(pl.DataFrame(issues), original, tmp_path / "errors" / "errors_2020.xlsx")
    return out.with_name(out.stem) / FILE


def _fill(cell) -> str | None:
    return cell.fill.fgColor.rgb if cell.fill is not None and cell.fill.fill_type == "solid" else None


def test_the_copy_is_the_original_with_marks_and_a_problem_list_first(original: Path, copy: Path) -> None:
    before = openpyxl.load_workbook(original / FILE)
    after = openpyxl.load_workbook(copy)
    assert after.sheetnames == [PROBLEMS_SHEET, *before.sheetnames]
    assert after.active.title == PROBLEMS_SHEET
    for ws in before.worksheets:
        marked = after[ws.title]
        assert marked.sheet_state == ws.sheet_state
        assert {str(r) for r in marked.merged_cells.ranges} == {str(r) for r in ws.merged_cells.ranges}
        assert {k: (d.min, d.max, d.width) for k, d in marked.column_dimensions.items()} == {k: (d.min, d.max, d.width) for k, d in ws.column_dimensions.items()}
        assert marked.freeze_panes == ws.freeze_panes
        assert [(str(v.sqref), v.type, v.formula1) for v in marked.data_validations.dataValidation] == [
            (str(v.sqref), v.type, v.formula1) for v in ws.data_validations.dataValidation
        ]
        cells = {(c.coordinate): c for row in ws.iter_rows() for c in row}
        assert {c.coordinate for row in marked.iter_rows() for c in row} == set(cells)
        for coordinate, cell in cells.items():
            copied = marked[coordinate]
            assert (copied.number_format, copied.font.b, copied.data_type != "f") == (cell.number_format, cell.font.b, True), coordinate
            if cell.data_type != "f":
                assert copied.value == cell.value, coordinate
            if (ws.title, coordinate) in MARKED:
                continue
            assert _fill(copied) == _fill(cell), coordinate
            assert (copied.comment.text if copied.comment else None) == (cell.comment.text if cell.comment else None), coordinate
    # A formula is kept as the value the clerk last saw: the copy reads the same unopened.
    assert before["在校生"]["C8"].value == "=SUM(C4:C7)" and after["在校生"]["C8"].value == 406


def test_problem_cells_are_filled_and_noted_in_both_languages(copy: Path) -> None:
    book = openpyxl.load_workbook(copy)
    for (sheet, coordinate), severity in MARKED.items():
        cell = book[sheet][coordinate]
        assert _fill(cell) == (ERROR_RGB if severity == "error" else WARNING_RGB)
        assert f"中文说明 rule_{coordinate}" in cell.comment.text and f"English rule_{coordinate}" in cell.comment.text
    assert book["在校生"].sheet_properties.tabColor.rgb == "FFFF0000"


def test_the_first_sheet_lists_the_files_problems_linked_to_their_cells(copy: Path) -> None:
    ws = openpyxl.load_workbook(copy)[PROBLEMS_SHEET]
    link_col = len(PROBLEM_COLUMNS)
    rows = [(r[8].value, r[link_col - 1].hyperlink) for r in ws.iter_rows(min_row=HEADER_ROW + 1)]
    links = {rule: link.location if link else None for rule, link in rows}
    assert links == {"rule_C4": "'在校生'!C4", "rule_D6": "'在校生'!D6", "rule_A5": "'学校名录'!A5", "row_missing": None}
    assert "in place of 622921_临夏县.xlsx" in ws["A1"].value and "共 3 个错误、1 个警告" in ws["A1"].value


def test_the_pipeline_reads_the_copy_as_the_original_and_skips_its_problem_list(original: Path, copy: Path) -> None:
    limits = load_rules().limits
    sheets, issues = read_file(original / FILE, original, limits)
    copied, copy_issues = read_file(copy, copy.parent, limits)
    assert issues.is_empty() and copy_issues.is_empty()
    assert [s.source_sheet for s in copied] == [s.source_sheet for s in sheets]
    assert {s.sheet_count for s in copied} == {3}
    for mine, theirs in zip(sheets, copied, strict=True):
        assert mine.data.equals(theirs.data), mine.source_sheet


def test_a_copy_marked_again_loses_its_old_marks_and_list(tmp_path: Path, original: Path, copy: Path) -> None:
    # The clerk corrects C4 only and sends the copy back; the next check finds D6 alone.
    book = openpyxl.load_workbook(copy)
    book["在校生"]["C4"] = 100
    book.save(original / FILE)
    out = write_error_workbook(pl.DataFrame([_issue("warning", "在校生", "D6", "rule_D6")]), original, tmp_path / "again" / "errors_2020.xlsx")
    again = openpyxl.load_workbook(out.with_name(out.stem) / FILE)
    assert again.sheetnames == [PROBLEMS_SHEET, "学校名录", "在校生", "lists"]
    assert again["在校生"]["C4"].comment is None and _fill(again["在校生"]["C4"]) is None
    assert _fill(again["学校名录"]["A5"]) is None
    assert _fill(again["在校生"]["D6"]) == WARNING_RGB
    assert again["在校生"]["B4"].comment.text == "学段按下拉表填写"


def test_a_workbook_too_large_to_load_whole_is_rebuilt_from_its_cells(tmp_path: Path, original: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from edustat.errorbook import marked

    monkeypatch.setattr(marked, "WHOLE_COPY_MAX_BYTES", 1)
    out = write_error_workbook(pl.DataFrame([_issue("error", "在校生", "C4", "rule_C4")]), original, tmp_path / "big" / "errors_2020.xlsx")
    rebuilt = openpyxl.load_workbook(out.with_name(out.stem) / FILE)
    before = openpyxl.load_workbook(original / FILE, data_only=True)
    # Every sheet (the hidden one hidden) and every value, the merges; not the drop-down list, which only a whole copy keeps.
    assert rebuilt.sheetnames == [PROBLEMS_SHEET, *before.sheetnames] and rebuilt["lists"].sheet_state == "hidden"
    for ws in before.worksheets:
        values = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
        assert {c.coordinate: c.value for row in rebuilt[ws.title].iter_rows() for c in row if c.value is not None} == values
        assert {str(r) for r in rebuilt[ws.title].merged_cells.ranges} == {str(r) for r in ws.merged_cells.ranges}
    assert _fill(rebuilt["在校生"]["C4"]) == ERROR_RGB
    assert "in place of" in rebuilt[PROBLEMS_SHEET]["A1"].value  # complete, so it may be sent back
