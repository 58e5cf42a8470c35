"""The error workbook: the problem list, the marked copies beside it (the clerk's cells at their coordinates), marks and links."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import polars as pl
import pytest

from edustat.errorbook import write_error_workbook
from edustat.errorbook.problems_sheet import HEADER_ROW, PROBLEM_COLUMNS
from edustat.ingest.read import PROBLEMS_SHEET

ERROR_RGB = "FFFF7C80"
WARNING_RGB = "FFFFFF00"
LINK_COL = len(PROBLEM_COLUMNS)


def _issue(severity, file, sheet, row, header, cell, value, rule, en):
    return {
        "severity": severity,
        "table_name": "enrollment",
        "source_file": file,
        "source_sheet": sheet,
        "source_row": row,
        "column_header": header,
        "cell": cell,
        "value": value,
        "rule": rule,
        "message_zh": f"中文：{en}",
        "message_en": en,
    }


@pytest.fixture
def input_dir(tmp_path: Path) -> Path:
    """A county workbook with a title row, a GBK CSV in a county folder, and a file that is no spreadsheet."""
    folder = tmp_path / "in"
    folder.mkdir()
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "在校生"
    ws.append(["2020年康乐县在校生情况表"])
    ws.merge_cells("A1:F1")
    ws.append(["学校标识码", "学段", "在校生数", "招生数（人）", "班数", "备注"])
    ws.append(["2162000001", "小学", 300, 50, 10, None])
    ws.append(["2162000001", "小学", 300, 50, 10, None])
    ws.append(["2162000002", "初中", 900, 300, 18, "=not a formula"])
    ws.append(["2162000003", "小学", 120, 20, 6, None])
    ws.append(["2162000004", "小学", 80, -5, 4, None])
    ws["F5"].data_type = "s"  # the clerk typed it as text, not as a formula
    book.save(folder / "康乐县.xlsx")

    (folder / "临夏县").mkdir()
    csv_text = "学校标识码,学段,在校生数\n2162100001,小学,abc\n2162100002,初中,\"1,234\"\n=1+1,小学,5\n"
    (folder / "临夏县" / "在校生.csv").write_bytes(csv_text.encode("gbk"))

    (folder / "坏文件.xlsx").write_bytes(b"this is not a zip archive")
    return folder


@pytest.fixture
def issues() -> pl.DataFrame:
    rows = [
        _issue("warning", "康乐县.xlsx", "在校生", 5, "在校生数", "C5", "900", "students_change", "students up 50%"),
        _issue("error", "康乐县.xlsx", "在校生", 7, "招生数（人）", "D7", "-5", "not_negative", "entrants below 0"),
        _issue("error", "康乐县.xlsx", "在校生", 7, "招生数（人）", "D7", "-5", "entrants_le_students", "second on D7"),
        _issue("error", "康乐县.xlsx", "在校生", 4, None, None, None, "duplicate_key", "duplicate school and stage"),
        _issue("error", "临夏县/在校生.csv", "在校生", 2, "在校生数", "C2", "abc", "integer", "not a whole number"),
        _issue("error", "坏文件.xlsx", None, None, None, None, None, "unreadable_file", "not a spreadsheet"),
        _issue("error", "不存在.xlsx", "在校生", 3, "班数", "E3", "x", "integer", "file gone"),
    ]
    return pl.DataFrame(rows, schema_overrides={"source_row": pl.Int64})


@pytest.fixture
def book(tmp_path: Path, input_dir: Path, issues: pl.DataFrame) -> openpyxl.Workbook:
    out = write_error_workbook(issues, input_dir, tmp_path / "out" / "errors.xlsx")
    assert out == tmp_path / "out" / "errors.xlsx"
    return openpyxl.load_workbook(out)


def _copy(out: Path, name: str) -> openpyxl.Workbook:
    """The marked copy ``name`` beside the problem list ``out`` (in the folder named like it without .xlsx)."""
    return openpyxl.load_workbook(out.with_name(out.stem) / name)


@pytest.fixture
def kangle(book, tmp_path: Path) -> openpyxl.Workbook:
    return _copy(tmp_path / "out" / "errors.xlsx", "康乐县.xlsx")


@pytest.fixture
def linxia_csv(book, tmp_path: Path) -> openpyxl.Workbook:
    return _copy(tmp_path / "out" / "errors.xlsx", "临夏县/在校生.xlsx")


def _fill(cell) -> str | None:
    return cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None


def test_the_list_is_one_sheet_and_each_readable_file_has_a_whole_copy(book, tmp_path: Path):
    assert book.sheetnames == [PROBLEMS_SHEET]
    copies = tmp_path / "out" / "errors"
    # The unreadable file and the missing one have no copy; the CSV's is an .xlsx of the same stem at the same place.
    assert sorted(str(p.relative_to(copies)) for p in copies.rglob("*.xlsx")) == ["临夏县/在校生.xlsx", "康乐县.xlsx"]
    assert _copy(tmp_path / "out" / "errors.xlsx", "康乐县.xlsx").sheetnames == [PROBLEMS_SHEET, "在校生"]


def test_xlsx_copy_keeps_title_and_header_rows_at_their_coordinates(kangle):
    ws = kangle["在校生"]
    assert ws["A1"].value == "2020年康乐县在校生情况表"
    assert "A1:F1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == ["学校标识码", "学段", "在校生数", "招生数（人）", "班数", "备注"]
    assert [c.value for c in ws[7]][:5] == ["2162000004", "小学", 80, -5, 4]
    # Text that looks like a formula stays the clerk's text.
    assert ws["F5"].value == "=not a formula"
    assert ws["F5"].data_type == "s"


def test_bad_value_at_d7_is_red_with_both_messages_in_one_comment(kangle):
    ws = kangle["在校生"]
    assert _fill(ws["D7"]) == ERROR_RGB
    text = ws["D7"].comment.text
    assert "entrants below 0" in text and "second on D7" in text
    assert "中文：entrants below 0" in text
    assert "错误 Error" in text


def test_warning_cell_is_yellow(kangle):
    ws = kangle["在校生"]
    assert _fill(ws["C5"]) == WARNING_RGB
    assert "students up 50%" in ws["C5"].comment.text


def test_row_level_problem_marks_the_rows_first_cell(kangle):
    ws = kangle["在校生"]
    assert _fill(ws["A4"]) == ERROR_RGB
    assert "duplicate school and stage" in ws["A4"].comment.text
    # The rest of the row and untouched cells stay as sent.
    assert ws["B4"].comment is None and _fill(ws["B4"]) is None
    assert ws["D6"].comment is None and _fill(ws["D6"]) is None


def test_gbk_csv_is_decoded_and_marked_at_its_cell(linxia_csv):
    assert linxia_csv.sheetnames == [PROBLEMS_SHEET, "在校生"]
    ws = linxia_csv["在校生"]
    assert [c.value for c in ws[1]] == ["学校标识码", "学段", "在校生数"]
    assert ws["B2"].value == "小学"
    assert ws["C3"].value == "1,234"
    assert ws["A4"].value == "=1+1" and ws["A4"].data_type == "s"
    assert _fill(ws["C2"]) == ERROR_RGB
    assert "not a whole number" in ws["C2"].comment.text


def _problem_rows(book) -> list[dict]:
    ws = book[PROBLEMS_SHEET]
    keys = [key for _, key, _ in PROBLEM_COLUMNS]
    rows = []
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        record = dict(zip(keys, [c.value for c in row], strict=True))
        record["hyperlink"] = row[LINK_COL - 1].hyperlink
        rows.append(record)
    return rows


def test_problem_list_has_one_row_per_issue_errors_first(book, issues):
    rows = _problem_rows(book)
    assert len(rows) == issues.height == 7
    assert [r["severity_label"] for r in rows] == ["错误 Error"] * 6 + ["警告 Warning"]
    assert [r["number"] for r in rows] == list(range(1, 8))
    assert book[PROBLEMS_SHEET]["A1"].value.startswith("共 6 个错误、1 个警告")


def _link_target(book: openpyxl.Workbook, hyperlink) -> str:
    """The file a hyperlink of ``book``'s first sheet opens (kept among the sheet's relationships)."""
    return next(rel.Target for rel in book[PROBLEMS_SHEET]._rels if rel.Id == hyperlink.id)


def test_every_link_leads_to_the_marked_cell_in_the_copy_with_its_message(book, tmp_path: Path):
    rows = _problem_rows(book)
    linked = [r for r in rows if r["hyperlink"] is not None]
    # 7 issues − unreadable file − missing file = 5 linked rows.
    assert len(linked) == 5
    out = tmp_path / "out"
    for row in linked:
        sheet, coordinate = row["hyperlink"].location.rsplit("!", 1)
        target = openpyxl.load_workbook(out / _link_target(book, row["hyperlink"]))[sheet.strip("'")][coordinate]
        assert row["message_en"] in target.comment.text
    by_rule = {r["rule"]: r for r in rows}
    assert by_rule["not_negative"]["hyperlink"].location == "'在校生'!D7"
    assert _link_target(book, by_rule["not_negative"]["hyperlink"]) == "errors/康乐县.xlsx"
    assert by_rule["duplicate_key"]["hyperlink"].location == "'在校生'!A4"
    assert _link_target(book, by_rule["integer"]["hyperlink"]) == "errors/临夏县/在校生.xlsx"


def test_the_copys_first_sheet_lists_its_own_problems_linked_to_their_cells(kangle):
    rows = _problem_rows(kangle)
    assert sorted(r["rule"] for r in rows) == ["duplicate_key", "entrants_le_students", "not_negative", "students_change"]
    assert all(r["hyperlink"].location.startswith("'在校生'!") and r["hyperlink"].id is None for r in rows)
    line = kangle[PROBLEMS_SHEET]["A1"].value
    assert line.startswith("共 3 个错误、1 个警告") and "in place of 康乐县.xlsx" in line


def test_unreadable_and_missing_files_are_listed_without_a_copy(book):
    by_rule = {r["rule"]: r for r in _problem_rows(book)}
    unreadable = by_rule["unreadable_file"]
    assert unreadable["source_file"] == "坏文件.xlsx"
    assert unreadable["message_en"] == "not a spreadsheet"
    assert unreadable["hyperlink"] is None and unreadable["link_text"] is None
    gone = [r for r in _problem_rows(book) if r["source_file"] == "不存在.xlsx"]
    assert len(gone) == 1 and gone[0]["hyperlink"] is None


def test_odd_issue_frames_never_raise(tmp_path: Path):
    odd = pl.DataFrame(
        {
            "severity": ["ERROR", None, "info"],
            "source_file": ["../nowhere.xls", None, "x.csv"],
            "source_sheet": ["s", None, None],
            "source_row": ["seven", None, "3"],
            "cell": ["ZZZZ99", "A0", "\x01"],
            "message_zh": ["坏\x07", None, None],
        }
    )
    out = write_error_workbook(odd, tmp_path, tmp_path / "odd.xlsx")
    ws = openpyxl.load_workbook(out)[PROBLEMS_SHEET]
    assert ws.max_row == HEADER_ROW + 3
    # Upper-case severities are still errors and sort first; the control character is dropped.
    assert ws.cell(row=HEADER_ROW + 1, column=2).value == "错误 Error"
    assert ws.cell(row=HEADER_ROW + 1, column=10).value == "坏"


def test_no_issues_gives_an_empty_list(tmp_path: Path):
    out = write_error_workbook(pl.DataFrame(), tmp_path, tmp_path / "none.xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [PROBLEMS_SHEET]
    assert book[PROBLEMS_SHEET].max_row == HEADER_ROW


def test_a_copy_beyond_its_cell_budget_ends_below_a_whole_row_with_a_note(tmp_path: Path, input_dir: Path, issues: pl.DataFrame):
    # 康乐县's sheet holds 1 + 6 + 5 + 5 + 6 + 5 + 5 cells on rows 1–7: 12 cells take rows 1–3 whole (1 + 6 + 5).
    # The CSV's four rows of three fields are exactly 12 cells: copied whole.
    out = write_error_workbook(issues, input_dir, tmp_path / "cut.xlsx", max_copied_cells=12)
    book = openpyxl.load_workbook(out)
    kangle = _copy(out, "康乐县.xlsx")
    ws = kangle["在校生"]
    assert ws["A3"].value == "2162000001" and ws["A5"].value is None and ws["D7"].value is None
    assert "The copy ends here" in ws["A4"].value and "rows below 3 are not copied" in ws["A4"].value
    assert "副本到此为止" in ws["A4"].value
    csv_copy = _copy(out, "临夏县/在校生.xlsx")["在校生"]
    assert csv_copy["A4"].value == "=1+1" and csv_copy["A5"].value is None
    by_rule = {r["rule"]: r for r in _problem_rows(book)}
    # Problems below the cut have no cell: they link to the copy's problem list; those above keep their cells.
    assert by_rule["not_negative"]["hyperlink"].location == by_rule["students_change"]["hyperlink"].location == f"'{PROBLEMS_SHEET}'!A1"
    assert ws["D7"].comment is None and ws["C5"].comment is None
    assert by_rule["integer"]["hyperlink"].location == "'在校生'!C2"
    summary = book[PROBLEMS_SHEET]["A1"].value
    assert "康乐县.xlsx" in summary and "are cut" in summary and "不完整" in summary
    assert "临夏县" not in summary
    # The cut copy says on its first sheet that it must not be sent back; the whole one does not.
    assert "must NOT be sent back" in kangle[PROBLEMS_SHEET]["A1"].value and "不能代替原文件报送" in kangle[PROBLEMS_SHEET]["A1"].value
    assert "must NOT" not in _copy(out, "临夏县/在校生.xlsx")[PROBLEMS_SHEET]["A1"].value


def test_the_problem_list_stays_within_excel_rows_and_links(tmp_path: Path, input_dir: Path, issues: pl.DataFrame, monkeypatch: pytest.MonkeyPatch):
    from edustat.errorbook import problems_sheet

    # Excel's 1,048,576 rows and 65,530 links per sheet, made small: 3 rows below the header, 2 links.
    monkeypatch.setattr(problems_sheet, "MAX_LISTED", 3)
    monkeypatch.setattr(problems_sheet, "MAX_LINKS", 2)
    linked = issues.filter(~pl.col("source_file").is_in(["坏文件.xlsx", "不存在.xlsx"]))  # five issues, each with a cell to link to
    out = write_error_workbook(linked, input_dir, tmp_path / "capped.xlsx")
    ws = openpyxl.load_workbook(out)[PROBLEMS_SHEET]
    assert ws.max_row == HEADER_ROW + 3 + 1
    assert "2 more problems" in ws.cell(row=HEADER_ROW + 4, column=1).value  # 5 issues − 3 listed
    links = [ws.cell(row=HEADER_ROW + i, column=LINK_COL).hyperlink for i in (1, 2, 3)]
    assert [link is not None for link in links] == [True, True, False]
    # The summary still counts every problem: 4 errors, 1 warning.
    assert ws["A1"].value.startswith("共 4 个错误、1 个警告")


def test_a_summary_issue_counts_in_the_summary_line(tmp_path: Path, input_dir: Path, issues: pl.DataFrame):
    more = _issue("error", "康乐县.xlsx", "在校生", 6, None, None, "+1000", "not_negative", "and 1,000 more problems like these")
    out = write_error_workbook(pl.concat([issues, pl.DataFrame([more], schema=issues.schema)]), input_dir, tmp_path / "more.xlsx")
    assert openpyxl.load_workbook(out)[PROBLEMS_SHEET]["A1"].value.startswith("共 1006 个错误、1 个警告")


def test_a_sheet_refused_for_its_size_is_not_opened_again(tmp_path: Path, input_dir: Path):
    refused = _issue("error", "康乐县.xlsx", "在校生", None, None, None, None, "sheet_too_large", "the sheet declares up to row 1,048,576")
    out = write_error_workbook(pl.DataFrame([refused], schema_overrides={"source_row": pl.Int64}), input_dir, tmp_path / "refused.xlsx")
    assert openpyxl.load_workbook(out).sheetnames == [PROBLEMS_SHEET]
    assert not list((tmp_path / "refused").glob("*.xlsx"))
