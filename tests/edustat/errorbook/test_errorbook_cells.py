"""Reading source sheets as raw cells at their Excel coordinates."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl

from edustat.errorbook.cells import _read_calamine, decode_csv, read_source_sheets


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
    sheet = _read_calamine(_offset_workbook(tmp_path / "b.xlsx").read_bytes(), ["在校生"])["在校生"]
    assert sheet.cells == {(3, 3): "标题", (5, 3): "学校标识码", (5, 4): "在校生数", (6, 3): "2162000001", (6, 4): 300, (7, 5): 1.5}
    assert sheet.merged_ranges == ["C3:E3"]
    assert (sheet.first_row, sheet.first_col) == (3, 3)


def test_openpyxl_reader_gives_the_same_cells(tmp_path: Path):
    sheet = read_source_sheets(_offset_workbook(tmp_path / "b.xlsx"), ["在校生"])["在校生"]
    assert sheet.cells[(6, 4)] == 300 and sheet.cells[(3, 3)] == "标题"
    assert len(sheet.cells) == 6


def test_sheet_names_match_ignoring_case_and_spaces_and_missing_ones_give_none(tmp_path: Path):
    path = _offset_workbook(tmp_path / "b.xlsx")
    assert read_source_sheets(path, [" 在校生 "])[" 在校生 "] is not None
    assert read_source_sheets(path, ["教职工"])["教职工"] is None
    assert read_source_sheets(tmp_path / "missing.xlsx", ["在校生"])["在校生"] is None


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


def _tall_workbook(path: Path, rows: int) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "在校生"
    for row in range(1, rows + 1):
        ws.append([f"2162{row:06d}", row])
    ws.merge_cells("C1:D1")
    ws.merge_cells("C9:D10")
    ws.merge_cells("C10:D11")
    book.save(path)
    return path


def test_a_sheet_beyond_the_budget_keeps_whole_rows_and_says_where_it_ends(tmp_path: Path):
    path = _tall_workbook(tmp_path / "tall.xlsx", 50)
    # Two cells a row: 21 cells hold rows 1–10 whole; row 11 would make 22.
    for sheet in (read_source_sheets(path, ["在校生"], 21)["在校生"], _read_calamine(path.read_bytes(), ["在校生"], 21)["在校生"]):
        assert sheet.cut_below == 10
        assert max(r for r, _ in sheet.cells) == 10 and len(sheet.cells) == 20
    # A merge reaching below the cut is dropped with the rows it covers.
    assert read_source_sheets(path, ["在校生"], 21)["在校生"].merged_ranges == ["C1:D1", "C9:D10"]
    whole = read_source_sheets(path, ["在校生"], 100)["在校生"]
    assert whole.cut_below is None and len(whole.cells) == 100
    assert read_source_sheets(path, ["在校生"])["在校生"].cut_below is None


def test_a_csv_beyond_the_budget_is_cut_the_same_way(tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_bytes("".join(f"{i},{i}\n" for i in range(1, 31)).encode())
    sheet = read_source_sheets(path, ["x"], 7)["x"]
    assert sheet.cut_below == 3 and len(sheet.cells) == 6


def test_a_declared_dimension_does_not_make_the_copy_read_the_grid(tmp_path: Path):
    path = _tall_workbook(tmp_path / "declared.xlsx", 3)
    # The sheet claims Excel's whole grid; only its six cells are real.
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    xml = members["xl/worksheets/sheet1.xml"].decode()
    members["xl/worksheets/sheet1.xml"] = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    sheet = read_source_sheets(path, ["在校生"], 1000)["在校生"]
    assert len(sheet.cells) == 6 and sheet.cut_below is None
