"""The blank county template: sheets, headers, drop-downs and number checks, and a filled copy of it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import polars as pl
import pytest
from openpyxl.utils import column_index_from_string
from template_fill import SMALL_SCHOOL, fill_template

from edustat.template import write_template
from edustat.template.workbook import HEADER_ROW, NOTE_ROW
from schemas.rules import load_rules
from schemas.tables import TABLES

TABLE_SHEETS = ["学校名录", "在校生", "教职工", "安保", "办学条件", "经费", "人口"]
STAGES_ZH = '"学前,小学,初中,普通高中,中职,高职"'
YES_NO = '"是,否"'


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return write_template(tmp_path_factory.mktemp("template") / "county.xlsx", load_rules(), rows=200)


@pytest.fixture(scope="module")
def book(template: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(template)


def _validations(ws) -> dict[str, tuple]:
    """Column letter → (type, operator, formula1) of each validation, which must span the 200 rows 3–202."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        ref = str(dv.sqref)
        letter = ref.split(":")[0].rstrip("0123456789")
        assert ref == f"{letter}3:{letter}202"
        found[letter] = (dv.type, dv.operator, dv.formula1)
    return found


def test_one_sheet_per_contract_table(book):
    assert book.sheetnames == TABLE_SHEETS
    assert [t.sheet_zh for t in TABLES.values()] == TABLE_SHEETS


def test_headers_are_chinese_with_full_width_units_on_row_2(book):
    assert HEADER_ROW == 2
    assert [c.value for c in book["人口"][2]] == ["行政区划代码", "3-5岁人口", "6-11岁人口", "12-14岁人口", "15-17岁人口"]
    assert book["办学条件"]["B2"].value == "教学及辅助用房面积（平方米）"
    assert book["经费"]["C2"].value == "一般公共预算教育支出（万元）"
    assert book["在校生"]["B2"].value == "学段"


def _column_format(ws, letter: str) -> str:
    """Number format of a column; openpyxl keys a run of alike columns (C:E) by its first letter."""
    index = column_index_from_string(letter)
    dims = [d for d in ws.column_dimensions.values() if d.min <= index <= d.max]
    return dims[0].number_format if dims else "General"


def test_header_row_is_frozen_and_code_columns_are_text(book):
    for sheet in TABLE_SHEETS:
        assert book[sheet].freeze_panes == "A3"  # note and header rows stay in view
    schools = book["学校名录"]
    # School code, name, county, type and urban-rural codes are text; ownership and 普惠 are not.
    assert [_column_format(schools, c) for c in "ABCDEFG"] == ["@"] * 5 + ["General"] * 2
    assert _column_format(book["人口"], "A") == "@"
    assert _column_format(book["人口"], "B") == "General"


def test_schools_sheet_drop_downs(book):
    found = _validations(book["学校名录"])
    assert found == {
        "A": ("textLength", "equal", "10"),
        "C": ("textLength", "equal", "6"),
        "D": ("list", None, '"111,211,218,311,312,341,342,345,361,362,363,364,365,366,415,511,512,513,514"'),
        "E": ("list", None, '"111,112,121,122,123,210,220"'),
        "F": ("list", None, '"公办,民办"'),
        "G": ("list", None, YES_NO),
    }


def test_stage_columns_offer_the_chinese_stage_names(book):
    for sheet in ("在校生", "教职工", "经费"):
        assert _validations(book[sheet])["B"] == ("list", None, STAGES_ZH)


def test_integer_columns_take_whole_numbers_and_amounts_decimals_at_least_zero(book):
    enrollment = _validations(book["在校生"])
    assert {enrollment[c] for c in "CDEFG"} == {("whole", "greaterThanOrEqual", "0")}
    staff = _validations(book["教职工"])
    assert {staff[c] for c in "CDEFGHIJK"} == {("whole", "greaterThanOrEqual", "0")}
    facilities = _validations(book["办学条件"])
    assert {facilities[c] for c in "BCDEFGH"} == {("decimal", "greaterThanOrEqual", "0")}
    funding = _validations(book["经费"])
    assert funding["C"] == funding["D"] == ("decimal", "greaterThanOrEqual", "0")
    population = _validations(book["人口"])
    assert {population[c] for c in "BCDE"} == {("whole", "greaterThanOrEqual", "0")}


def test_yes_no_columns_offer_yes_and_no(book):
    security = _validations(book["安保"])
    assert {security[c] for c in "CDEF"} == {("list", None, YES_NO)}
    assert security["B"] == ("whole", "greaterThanOrEqual", "0")


def test_note_row_names_each_column_in_english_with_its_rule(book):
    assert NOTE_ROW == 1
    for table in TABLES.values():
        notes = [c.value for c in book[table.sheet_zh][1]]
        assert [n.split("\n")[0] for n in notes] == list(table.column_names)
    entrants = book["在校生"]["D1"].value
    assert entrants == "entrants\n必填；整数，≥ 0；≤ 在校生数\nrequired; whole number ≥ 0; ≤ students"


def test_headers_carry_the_rule_as_a_comment(book):
    comment = book["学校名录"]["D2"].comment.text
    assert comment.startswith("school_type_code\n")
    assert "361–366 中等职业学校" in comment


def test_filled_template_keeps_contract_sheets_headers_and_values(template: Path, tmp_path: Path):
    filled = fill_template(template, out_path=tmp_path / "filled.xlsx")
    book = openpyxl.load_workbook(filled)
    for table in TABLES.values():
        ws = book[table.sheet_zh]
        headers = [c.value for c in ws[HEADER_ROW]]
        # Each header is the contract's Chinese header, plus （unit） where the column has one.
        assert [h.split("（")[0] for h in headers] == [c.header_zh for c in table.columns]
        frame = pl.read_excel(
            filled, sheet_name=table.sheet_zh, infer_schema_length=None, read_options={"header_row": HEADER_ROW - 1}
        )
        assert frame.height == len(SMALL_SCHOOL[table.name]) == 1
        record = SMALL_SCHOOL[table.name][0]
        for column, header in zip(table.columns, headers, strict=True):
            assert frame[header][0] == record.get(column.name), (table.name, column.name)
