"""Reading source sheets as raw cells at their Excel coordinates."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from edustat.errorbook.cells import _read_calamine, decode_csv, read_source_sheet, read_source_sheets


def _offset_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "在校生"
    ws["C3"] = "标题"
    ws["C5"] = "学校标识码"
    ws["D5"] = "在校生数"
    ws["C6"] = "2162000001"
    ws["D6"] = 300
    ws["E7"] = 1.5
    ws.merge_cells("C3:E3")
    book.save(path)
    return path


def test_calamine_reader_adds_the_skipped_leading_rows_and_columns(tmp_path: Path):
    # Calamine starts at the first used cell (C3); its start offset puts every value back in place.
    sheet = _read_calamine(_offset_workbook(tmp_path / "b.xlsx"), ["在校生"])["在校生"]
    assert sheet.cells == {(3, 3): "标题", (5, 3): "学校标识码", (5, 4): "在校生数", (6, 3): "2162000001", (6, 4): 300, (7, 5): 1.5}
    assert sheet.merged_ranges == ["C3:E3"]
    assert (sheet.first_row, sheet.first_col) == (3, 3)


def test_openpyxl_reader_gives_the_same_cells(tmp_path: Path):
    sheet = read_source_sheet(_offset_workbook(tmp_path / "b.xlsx"), "在校生")
    assert sheet.cells[(6, 4)] == 300 and sheet.cells[(3, 3)] == "标题"
    assert len(sheet.cells) == 6


def test_sheet_names_match_ignoring_case_and_spaces_and_missing_ones_give_none(tmp_path: Path):
    path = _offset_workbook(tmp_path / "b.xlsx")
    assert read_source_sheet(path, " 在校生 ") is not None
    assert read_source_sheet(path, "教职工") is None
    assert read_source_sheet(tmp_path / "missing.xlsx", "在校生") is None


def test_several_sheets_of_one_file_are_read_together(tmp_path: Path):
    path = _offset_workbook(tmp_path / "b.xlsx")
    found = read_source_sheets(path, ["在校生", "教职工"])
    assert found["教职工"] is None
    assert found["在校生"].cells[(5, 3)] == "学校标识码"
    (tmp_path / "x.csv").write_bytes("a,b\n1,2\n".encode())
    csv_sheets = read_source_sheets(tmp_path / "x.csv", ["x"])
    assert csv_sheets["x"].cells == {(1, 1): "a", (1, 2): "b", (2, 1): "1", (2, 2): "2"}


def test_csv_decodes_utf8_bom_and_gbk():
    assert decode_csv("\ufeff学段".encode("utf-8")) == "学段"
    assert decode_csv("学段".encode("gbk")) == "学段"
