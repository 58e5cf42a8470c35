import polars as pl
import pytest
from polars.testing import assert_frame_equal

from edustat.ingest.cell_conversion import convert_columns
from schemas.rules import load_rules
from schemas.tables import ColumnSpec

RULES = load_rules()


def _converter(kind: str, digits: int | None = None) -> ColumnSpec:
    return ColumnSpec("v", "值", kind, digits=digits)


to_integer, to_number, to_stage = _converter("integer"), _converter("number"), _converter("stage")
to_ownership, to_yes_no, to_code = _converter("ownership"), _converter("yes_no"), _converter("code", 10)


def _run(column: ColumnSpec, values: list[str | None]) -> list[tuple]:
    frame = pl.DataFrame({"x": values}, schema={"x": pl.String})
    return convert_columns(frame, {"x": column}, RULES).select("v", "__fail_v").rows()


def test_integers_accept_separators_full_width_and_whole_floats():
    # "1,234" and "1，234" (full-width comma) drop the separator; "１２３" is 123 in full-width digits
    assert _run(to_integer, ["1,234", "1，234", "１２３", " 12 ", "12.0", "-3", "1,234,567", "300.00000000000006"]) == [
        (1234, None), (1234, None), (123, None), (12, None), (12, None), (-3, None), (1234567, None), (300, None),
    ]


def test_integers_reject_text_fractions_and_bad_separators():
    assert _run(to_integer, ["12.5", "abc", "1,2", "inf", "NaN", "—", "300.001"]) == [
        (None, "not_integer"), (None, "not_a_number"), (None, "not_a_number"),
        (None, "not_a_number"), (None, "not_a_number"), (None, "not_a_number"), (None, "not_integer"),
    ]


def test_empty_cells_are_null_without_a_conversion_failure():
    assert _run(to_integer, [None, "", "   ", "\u3000"]) == [(None, None)] * 4


def test_numbers_keep_fractions():
    assert _run(to_number, ["1,234.5", "０．５", "85.5"]) == [(1234.5, None), (0.5, None), (85.5, None)]


def test_codes_stored_as_numbers_lose_their_trailing_zero_fraction():
    written = ["2162000001.0", "2162000001", " 2162000001 ", "216200000", "21620000011", "2162000001.5", "abc"]
    assert _run(to_code, written) == [
        ("2162000001", None), ("2162000001", None), ("2162000001", None),
        (None, "bad_code"), (None, "bad_code"), (None, "bad_code"), (None, "bad_code"),
    ]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("是", True), ("否", False), ("有", True), ("无", False), ("Y", True), ("N", False),
        ("yes", True), ("No", False), ("1", True), ("0", False), ("TRUE", True), ("false", False),
        ("√", True), ("×", False), ("✓", True), ("✗", False), ("ｙｅｓ", True),
    ],
)
def test_every_yes_no_spelling(written: str, expected: bool):
    assert _run(to_yes_no, [written]) == [(expected, None)]


def test_unknown_yes_no_is_a_failure():
    assert _run(to_yes_no, ["maybe"]) == [(None, "not_yes_no")]


def test_stages_in_both_languages_and_config_aliases():
    stage = to_stage
    written = ["学前", "幼儿园", "小学", "Primary", "初中", "junior", "普通高中", "高中", "中职", "vocational", "高职", "Higher  Vocational", "大学"]
    assert _run(stage, written) == [
        ("preschool", None), ("preschool", None), ("primary", None), ("primary", None), ("junior", None),
        ("junior", None), ("senior", None), ("senior", None), ("vocational", None), ("vocational", None),
        ("higher_vocational", None), ("higher_vocational", None), (None, "unknown_stage"),
    ]


def test_ownership_in_both_languages():
    assert _run(to_ownership, ["公办", "民办", "Public", "PRIVATE", "集体"]) == [
        ("public", None), ("private", None), ("public", None), ("private", None), (None, "unknown_ownership"),
    ]


def test_columns_convert_side_by_side_and_scratch_columns_are_dropped():
    frame = pl.DataFrame({"A": ["1", "1", "x"], "B": ["是", "否", None]})
    out = convert_columns(frame, {"A": ColumnSpec("n", "数", "integer"), "B": ColumnSpec("b", "是否", "yes_no")}, RULES)
    expected = pl.DataFrame(
        {"A": ["1", "1", "x"], "B": ["是", "否", None], "n": [1, 1, None], "__fail_n": [None, None, "not_a_number"],
         "b": [True, False, None], "__fail_b": [None, None, None]},
        schema={"A": pl.String, "B": pl.String, "n": pl.Int64, "__fail_n": pl.String, "b": pl.Boolean, "__fail_b": pl.String},
    )
    assert_frame_equal(out, expected, check_column_order=False)
