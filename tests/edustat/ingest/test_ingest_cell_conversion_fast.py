"""The plain-cell shortcut of convert_columns gives exactly what the full conversion passes give."""

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from edustat.ingest.cell_conversion import _convert_all_passes, convert_columns
from schemas.rules import load_rules
from schemas.tables import ColumnSpec
from tests.examples import examples

RULES = load_rules()

COLUMNS = {
    "a": ColumnSpec("integer_value", "整数", "integer"),
    "b": ColumnSpec("number_value", "数", "number"),
    "c": ColumnSpec("code_value", "代码", "code", digits=3),
    "d": ColumnSpec("stage_value", "学段", "stage"),
    "e": ColumnSpec("ownership_value", "举办者", "ownership"),
    "f": ColumnSpec("yes_no_value", "是否", "yes_no"),
    "g": ColumnSpec("text_value", "名称", "text"),
}

# Cells a clerk or a spreadsheet may produce, plain and not: numbers, codes, labels, junk.
CELLS = st.one_of(
    st.none(),
    st.sampled_from(
        ["1", "12", "12.0", "12.5", "1e3", "1e400", "inf", "nan", "-0", "+.5", "1,234", "１２", " 7 ", "211", "211.0", "21",
         "小学", "初中", "Primary", "学前教育", "公办", "Private", "是", "Y", "√", "0", "1", "TRUE", "", "  ", "合计", "x",
         "True", "YES", "No", "PUBLIC", "t", "T", "X", "1.0", "0.0", "否 ", "无", "没有", "×", "ｙｅｓ", "123456789012345",
         "1234567890123456", "-999999999999999", "+7", "007", "9223372036854775808", "2162000001.0", "'211"]
    ),
    st.text(alphabet="0123456789.,+-eE 　１２３inftyaNn小学是否√", max_size=6),
)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(*([CELLS] * len(COLUMNS))), min_size=1, max_size=12))
def test_shortcut_equals_full_passes(rows):
    frame = pl.DataFrame(rows, schema={name: pl.String for name in COLUMNS}, orient="row")
    assert_frame_equal(convert_columns(frame, COLUMNS, RULES), _convert_all_passes(frame, COLUMNS, RULES))


def test_plain_and_unplain_rows_keep_their_order():
    # row 0 plain, row 1 needs cleaning (thousands separator), row 2 plain, row 3 fails
    frame = pl.DataFrame({"a": ["5", "1,200", "7", "五"]})
    out = convert_columns(frame, {"a": COLUMNS["a"]}, RULES)
    assert out["integer_value"].to_list() == [5, 1200, 7, None]
    assert out["__fail_integer_value"].to_list() == [None, None, None, "not_a_number"]


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(*([CELLS] * len(COLUMNS))), min_size=1, max_size=12))
def test_as_written_copies_equal_full_passes(rows):
    # The copies of plain cells are the cells themselves, of the others as_written: both must be as_written of every cell.
    frame = pl.DataFrame(rows, schema={name: pl.String for name in COLUMNS}, orient="row")
    written = {name: f"written_{name}" for name in COLUMNS}
    assert_frame_equal(convert_columns(frame, COLUMNS, RULES, written), _convert_all_passes(frame, COLUMNS, RULES, written))


def test_unplain_cells_of_several_columns_of_one_kind_land_in_their_own_rows():
    # Columns of one kind have their unplain cells converted together: each must come back to its own column and row.
    columns = {"a": COLUMNS["a"], "b": ColumnSpec("other_integer", "整数二", "integer")}
    frame = pl.DataFrame({"a": ["1", "１２", "3", " 4 "], "b": ["５", "6", "7,000", "x"]})
    out = convert_columns(frame, columns, RULES, {"a": "wa", "b": "wb"})
    assert out["integer_value"].to_list() == [1, 12, 3, 4]
    assert out["other_integer"].to_list() == [5, 6, 7000, None]
    assert out["__fail_other_integer"].to_list() == [None, None, None, "not_a_number"]
    assert out["wa"].to_list() == ["1", "１２", "3", "4"]
