"""An .xls input's marked copy: an .xlsx of the same stem, which the pipeline reads as it reads the .xls (sent back in its place).

``data/county.xls`` was saved by LibreOffice (Excel 97 format) from a workbook with a merged title row, the header,
three schools (在校生数 of the second typed as 三百) and a hidden sheet ``lists``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import polars as pl
from python_calamine import CalamineWorkbook

from edustat.errorbook import write_error_workbook
from edustat.ingest.read import PROBLEMS_SHEET, read_file
from schemas.rules import load_rules

XLS = Path(__file__).parent / "data" / "county.xls"


def _issue(cell: str, rule: str) -> dict:
    return {"severity": "error", "table_name": "enrollment", "source_file": "康乐县/康乐县.xls", "source_sheet": "在校生",
            "source_row": int(cell[1:]), "column_header": None, "cell": cell, "value": None, "rule": rule,
            "message_zh": f"中文 {rule}", "message_en": f"English {rule}"}


def test_an_xls_copy_is_an_xlsx_of_the_same_stem_read_as_the_xls(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "康乐县").mkdir(parents=True)
    shutil.copyfile(XLS, folder / "康乐县" / "康乐县.xls")
    out = write_error_workbook(pl.DataFrame([_issue("C4", "not_a_number"), _issue("D5", "entrants_exceed_students")]), folder, tmp_path / "errors" / "errors_2020.xlsx")
    copy = out.with_name(out.stem) / "康乐县" / "康乐县.xlsx"
    book = openpyxl.load_workbook(copy)
    assert book.sheetnames == [PROBLEMS_SHEET, "在校生", "lists"] and book["lists"].sheet_state == "hidden"
    original = CalamineWorkbook.from_path(str(XLS)).get_sheet_by_name("在校生").to_python()
    copied = [[cell.value if cell.value is not None else "" for cell in row] for row in book["在校生"].iter_rows()]
    assert copied == original
    assert "A1:E1" in {str(r) for r in book["在校生"].merged_cells.ranges}
    assert book["在校生"]["C4"].comment is not None and "English not_a_number" in book["在校生"]["C4"].comment.text
    assert "in place of 康乐县.xls" in book[PROBLEMS_SHEET]["A1"].value

    limits = load_rules().limits
    xls_sheets, _ = read_file(folder / "康乐县" / "康乐县.xls", folder, limits)
    copy_sheets, issues = read_file(copy, copy.parent, limits)
    assert issues.is_empty()
    assert [s.source_sheet for s in copy_sheets] == [s.source_sheet for s in xls_sheets]
    for mine, theirs in zip(xls_sheets, copy_sheets, strict=True):
        assert mine.data.equals(theirs.data), mine.source_sheet
