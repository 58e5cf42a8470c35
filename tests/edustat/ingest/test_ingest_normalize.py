import polars as pl
import pytest
from polars.testing import assert_frame_equal

from edustat.ingest.files import normalize_sheets
from edustat.ingest.headers import find_header_row
from edustat.ingest.read import RawSheet, column_letter
from edustat.ingest.sheet_names import normalize_name, recognise_table
from schemas.rules import load_rules
from schemas.tables import TABLES

RULES = load_rules()


def raw(rows: list[list], *, sheet: str = "在校生", file: str = "county/a.xlsx", first_col: int = 0) -> RawSheet:
    """A RawSheet whose frame row i is Excel row i + 1 and whose first column is ``first_col``."""
    width = max(len(r) for r in rows)
    letters = [column_letter(first_col + i) for i in range(width)]
    data = {
        letter: [None if i >= len(r) or r[i] is None else str(r[i]) for r in rows] for i, letter in enumerate(letters)
    }
    return RawSheet(file, sheet, pl.DataFrame(data, schema={l: pl.String for l in letters}), first_column=first_col)


def normalized(sheet: RawSheet, table: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One sheet through ``normalize_sheets`` (what a run does with a file's sheets): the rows of ``table`` it holds and its issues."""
    result = normalize_sheets(sheet.source_file, [sheet], RULES)
    assert set(result.tables) == {table}
    return result.tables[table], result.issues


ENROLLMENT_HEADER = ["学校标识码", "学段", "在校生数", "招生数", "班数", "56-65人班数", "66人及以上班数"]


def test_normalize_name_drops_units_spaces_and_width():
    assert normalize_name(" 教学及辅助用房面积（平方米） ") == "教学及辅助用房面积"
    assert normalize_name("教学仪器设备值(万元)") == "教学仪器设备值"
    assert normalize_name("School_Code") == "schoolcode"
    assert normalize_name("学校 标识码*") == "学校标识码"


@pytest.mark.parametrize(
    ("sheet", "stem", "count", "table"),
    [
        ("学校名录", "x", 3, "schools"),
        ("Enrollment", "x", 3, "enrollment"),
        ("Sheet1", "622922_学校名录", 1, "schools"),
        ("Sheet1", "康乐县-在校生", 1, "enrollment"),
        ("Sheet1", "staff", 1, "staff"),
        ("Sheet1", "康乐县-在校生", 2, None),
        ("Sheet2", "unknown", 1, None),
        ("人口（2020）", "x", 2, "population"),
    ],
)
def test_recognise_table(sheet: str, stem: str, count: int, table: str | None):
    assert recognise_table(sheet, stem, count) == table


def test_header_row_is_found_below_title_rows():
    rows = [["2020年临夏县学校基本情况表"], [None], ["填报单位：临夏县教育局"], ENROLLMENT_HEADER, ["2162000001", "小学", 1, 1, 1, 0, 0]]
    header = find_header_row(raw(rows).data, TABLES["enrollment"])
    assert header is not None and header.index == 3
    assert header.columns["students"] == ("C", "在校生数")


def test_full_width_units_and_out_of_order_columns_map():
    header = ["教学及辅助用房面积（平方米）", "学校标识码", " 体育运动场馆面积 (平方米) ", "教学仪器设备值（万元）", "计算机台数", "图书册数", "普通教室数", "网络多媒体教室数"]
    rows = [["标题"], header, ["1,200.5", "2162000001", "３０００", "85.5", "40", "12000", "12", "10"]]
    staged, issues = normalized(raw(rows, sheet="办学条件"), "facilities")
    assert issues.height == 0
    assert staged.select("school_code", "teaching_area_m2", "sports_area_m2", "equipment_value_10k_yuan", "source_row").row(0) == (
        "2162000001", 1200.5, 3000.0, 85.5, 3,
    )


def test_rows_keep_excel_row_numbers_and_cells_with_leading_empty_rows_and_columns():
    # header at Excel row 4 from column C; the bad value sits in column E (招生数) of Excel row 6
    rows = [[None], [None], [None], ENROLLMENT_HEADER, ["2162000001", "小学", 10, 5, 1, 0, 0], ["2162000002", "小学", 10, "五", 1, 0, 0]]
    frame, issues = normalized(raw(rows, first_col=2), "enrollment")
    assert frame["source_row"].to_list() == [5, 6]
    assert issues.select("source_file", "source_sheet", "source_row", "column_header", "cell", "value", "rule").rows() == [
        ("county/a.xlsx", "在校生", 6, "招生数", "F6", "五", "not_a_number")
    ]


def test_text_in_number_cell_gives_exactly_one_issue_and_a_null():
    rows = [ENROLLMENT_HEADER, ["2162000001", "小学", "三百", 5, 1, 0, 0]]
    frame, issues = normalized(raw(rows), "enrollment")
    assert issues.height == 1
    row = issues.row(0, named=True)
    assert (row["severity"], row["table_name"], row["source_row"], row["column_header"], row["cell"], row["value"], row["rule"]) == (
        "error", "enrollment", 2, "在校生数", "C2", "三百", "not_a_number",
    )
    assert "在校生数" in row["message_zh"] and "students" in row["message_en"]
    assert frame["students"].to_list() == [None]


def test_empty_required_cell_is_missing_value_never_zero():
    rows = [ENROLLMENT_HEADER, ["2162000001", "小学", None, 5, 1, 0, 0]]
    frame, issues = normalized(raw(rows), "enrollment")
    assert issues.select("rule", "cell").rows() == [("missing_value", "C2")]
    assert frame["students"].to_list() == [None]


def test_missing_column_is_one_error_naming_the_header_row():
    rows = [["title"], ENROLLMENT_HEADER[:3] + ENROLLMENT_HEADER[4:]]  # no 招生数
    frame, issues = normalized(raw(rows), "enrollment")
    assert issues.select("rule", "source_row", "source_sheet").rows() == [("missing_column", 2, "在校生")]
    assert "招生数" in issues["message_zh"][0] and "entrants" in issues["message_en"][0]
    assert "entrants" in frame.columns  # still typed, all null


def test_unknown_column_is_one_warning_and_ignored():
    rows = [ENROLLMENT_HEADER + ["备注"], ["2162000001", "小学", 1, 1, 1, 0, 0, "note"]]
    frame, issues = normalized(raw(rows), "enrollment")
    assert issues.select("severity", "rule", "cell", "column_header").rows() == [("warning", "unknown_column", "H1", "备注")]
    assert "备注" not in frame.columns


def test_english_headers_are_accepted():
    rows = [["school_code", "stage", "students", "entrants", "classes", "classes_56_65", "classes_66_plus"], ["2162000001", "junior", 1, 1, 1, 0, 0]]
    frame, issues = normalized(raw(rows, sheet="enrollment"), "enrollment")
    assert issues.height == 0 and frame["stage"].to_list() == ["junior"]


def test_total_row_is_dropped_and_checked_against_column_sums():
    rows = [
        ENROLLMENT_HEADER,
        ["2162000001", "小学", 300, 50, 10, 1, 0],
        ["2162000002", "小学", "1,200", 60, 20, 0, 0],
        [None],
        # students: 300 + 1200 = 1500 ≠ 1600 → warning; entrants 50 + 60 = 110 ✓; classes 10 + 20 = 30 ✓
        ["合计", None, 1600, 110, 30, 1, 0],
    ]
    frame, issues = normalized(raw(rows), "enrollment")
    assert frame["source_row"].to_list() == [2, 3]
    assert issues.select("severity", "rule", "cell", "value").rows() == [("warning", "total_mismatch", "C5", "1600")]
    assert "1500" in issues["message_en"][0]


def test_stage_and_ownership_are_staged_as_english_codes():
    rows = [["学校标识码", "学校名称", "行政区划代码", "办学类型代码", "城乡分类代码", "举办者类型", "是否普惠性"],
            ["2162000001", "一小", "622922", "211", "121", "公办", None],
            ["2162000002", "幼儿园", 622922, 111, 210, "Private", "√"]]
    frame, issues = normalized(raw(rows, sheet="学校名录"), "schools")
    assert issues.height == 0
    expected = pl.DataFrame(
        {"county_code": ["622922", "622922"], "ownership": ["public", "private"], "is_inclusive": [None, True]},
        schema={"county_code": pl.String, "ownership": pl.String, "is_inclusive": pl.Boolean},
    )
    assert_frame_equal(frame.select("county_code", "ownership", "is_inclusive"), expected)


def test_header_not_found_is_an_error():
    frame, issues = normalized(raw([["a", "b"], ["1", "2"]]), "enrollment")
    assert issues["rule"].to_list() == ["header_not_found"]
    assert frame.height == 0


def test_staged_frame_has_contract_dtypes_and_provenance():
    rows = [ENROLLMENT_HEADER, ["2162000001", "小学", 1, 1, 1, 0, 0]]
    frame, _ = normalized(raw(rows, file="x/y.xlsx"), "enrollment")
    assert dict(frame.schema) == {
        "school_code": pl.String, "stage": pl.String, "students": pl.Int64, "entrants": pl.Int64, "classes": pl.Int64,
        "classes_56_65": pl.Int64, "classes_66_plus": pl.Int64,
        "source_file": pl.String, "source_sheet": pl.String, "source_row": pl.Int64,
    }
    assert frame.select("source_file", "source_sheet").row(0) == ("x/y.xlsx", "在校生")


@pytest.mark.parametrize(
    "total_row",
    [
        ["合计", None, 1500, 110, 30, 1, 0],  # in the code column
        [None, "总计", 1500, 110, 30, 1, 0],  # in the stage column
        [None, None, "1500合计", 110, 30, 1, 0],  # in a number column, next to the number
        [None, None, 1500, 110, 30, 1, 0, "全县合计"],  # in a column that maps to no contract column
    ],
)
def test_a_total_label_in_any_column_makes_a_total_row(total_row: list):
    rows = [ENROLLMENT_HEADER + ["备注"], ["2162000001", "小学", 300, 50, 10, 1, 0], total_row, ["2162000002", "小学", 1200, 60, 20, 0, 0]]
    frame, issues = normalized(raw(rows), "enrollment")
    assert frame["source_row"].to_list() == [2, 4]
    assert "total_mismatch" not in issues["rule"].to_list()


def test_totals_are_checked_against_their_own_sheet_when_sheets_are_converted_together():
    first = raw([ENROLLMENT_HEADER, ["2162000001", "小学", 300, 50, 10, 1, 0], ["合计", None, 300, 50, 10, 1, 0]], file="a.xlsx")
    second = raw([ENROLLMENT_HEADER, ["2162000002", "小学", 200, 40, 8, 0, 0], ["合计", None, 500, 40, 8, 0, 0]], file="b.xlsx")
    result = normalize_sheets("a.xlsx", [first, second], RULES)
    assert result.tables["enrollment"]["source_file"].to_list() == ["a.xlsx", "b.xlsx"]
    # Only b's students total (500 against 200) disagrees; a's matches its own rows, not the two sheets together.
    assert result.issues.select("source_file", "rule", "cell").rows() == [("b.xlsx", "total_mismatch", "C3")]
