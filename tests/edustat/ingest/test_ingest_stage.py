from pathlib import Path

import polars as pl
from ingest_builders import HEADERS, VALID_ROWS, valid_sheets, write_workbook

from config import RegionTree, load_regions
from edustat.ingest.stage import combine_year, read_and_normalize_file, stage_year
from schemas.issues import ISSUE_COLUMNS, has_errors
from schemas.rules import load_rules

RULES = load_rules()
# The builders' workbooks are one county's (622922): a configuration of that county alone is complete with them.
_DEFAULT = load_regions()
REGIONS = RegionTree(regions=tuple(r for r in _DEFAULT.regions if r.level != "county" or r.code == "622922"))


def _errors(issues: pl.DataFrame) -> pl.DataFrame:
    return issues.filter(pl.col("severity") == "error")


def test_a_valid_year_stages_every_table_without_errors(tmp_path: Path):
    write_workbook(tmp_path / "622922.xlsx", valid_sheets())
    staged, issues = stage_year(tmp_path, REGIONS, RULES)
    assert not has_errors(issues), issues.to_dicts()
    assert issues.height == 0
    assert staged.schools["school_code"].to_list() == ["2162000001", "2162000002"]
    assert staged.enrollment.select("stage", "students").rows() == [("primary", 300), ("preschool", 90)]
    assert staged.security["has_alarm"].to_list() == [True, False]
    assert staged.facilities["teaching_area_m2"].to_list() == [2400.5, 600.0]
    assert staged.population.select("county_code", "age_3_5", "source_row").rows() == [("622922", 5000, 2)]
    assert list(issues.columns) == list(ISSUE_COLUMNS)


def test_a_table_split_over_two_files_is_concatenated_in_file_order(tmp_path: Path):
    first, second = VALID_ROWS["学校名录"]
    sheets = valid_sheets()
    sheets["学校名录"] = [HEADERS["学校名录"], second]
    write_workbook(tmp_path / "b_county.xlsx", sheets)
    write_workbook(tmp_path / "a_schools.xlsx", {"学校名录": [["2020年学校名录"], HEADERS["学校名录"], first]})
    staged, issues = stage_year(tmp_path, REGIONS, RULES)
    assert not has_errors(issues), issues.to_dicts()
    assert staged.schools.select("school_code", "source_file", "source_row").rows() == [
        ("2162000001", "a_schools.xlsx", 3),
        ("2162000002", "b_county.xlsx", 2),
    ]


def test_duplicate_school_code_across_files_reports_both_locations(tmp_path: Path):
    write_workbook(tmp_path / "a.xlsx", valid_sheets())
    write_workbook(tmp_path / "b.xlsx", {"学校名录": [["t"], HEADERS["学校名录"], VALID_ROWS["学校名录"][0]]})
    _, issues = stage_year(tmp_path, REGIONS, RULES)
    duplicates = issues.filter((pl.col("rule") == "duplicate_key") & (pl.col("table_name") == "schools"))
    assert duplicates.select("source_file", "source_row", "cell", "value").rows() == [
        ("a.xlsx", 2, "A2", "2162000001"),
        ("b.xlsx", 3, "A3", "2162000001"),
    ]
    assert "b.xlsx [学校名录] row 3" in duplicates["message_en"][0]
    assert "a.xlsx [学校名录] 第 2 行" in duplicates["message_zh"][1]


def test_unknown_school_and_stage_not_fitting_type(tmp_path: Path):
    enrollment = [*VALID_ROWS["在校生"], ["2162000009", "小学", 10, 1, 1, 0, 0], ["2162000001", "初中", 10, 1, 1, 0, 0]]
    write_workbook(tmp_path / "a.xlsx", valid_sheets(在校生=enrollment))
    _, issues = stage_year(tmp_path, REGIONS, RULES)
    errors = _errors(issues).select("table_name", "rule", "cell", "value").rows()
    # row 4: school 2162000009 is not registered; row 5: type 211 has no junior stage
    assert errors == [("enrollment", "unknown_school", "A4", "2162000009"), ("enrollment", "stage_not_allowed", "B5", "junior")]


def test_entrants_above_students_is_one_error_on_the_entrants_cell(tmp_path: Path):
    enrollment = [["2162000001", "小学", 300, 301, 10, 0, 0], VALID_ROWS["在校生"][1]]
    write_workbook(tmp_path / "a.xlsx", valid_sheets(在校生=enrollment))
    _, issues = stage_year(tmp_path, REGIONS, RULES)
    errors = _errors(issues)
    assert errors.select("rule", "source_sheet", "source_row", "column_header", "cell", "value").rows() == [
        ("entrants_exceed_students", "在校生", 2, "招生数", "D2", "301")
    ]
    assert errors["message_zh"][0] == "招生数（301）大于在校生数（300）"
    assert errors["message_en"][0] == "entrants (301) exceed students (300)"


def test_an_unconvertible_cell_is_not_reported_twice(tmp_path: Path):
    # is_inclusive "maybe" on a private kindergarten: not_yes_no, and not inclusive_required on top
    schools = [VALID_ROWS["学校名录"][0], ["2162000002", "幼儿园", "622922", "111", "210", "民办", "maybe"]]
    write_workbook(tmp_path / "a.xlsx", valid_sheets(学校名录=schools))
    _, issues = stage_year(tmp_path, REGIONS, RULES)
    assert issues.select("rule", "cell").rows() == [("not_yes_no", "G3")]


def test_every_problem_of_every_file_is_reported_in_one_call(tmp_path: Path):
    enrollment = [["2162000001", "小学", "abc", 50, 10, 0, 0], VALID_ROWS["在校生"][1]]
    write_workbook(tmp_path / "a.xlsx", valid_sheets(在校生=enrollment))
    (tmp_path / "b.xlsx").write_bytes(b"not a zip")
    (tmp_path / "c.xlsx").write_bytes(b"")
    write_workbook(tmp_path / "d.xlsx", {"经费": [HEADERS["经费"], ["2162000001", "小学", 10, 20]]})
    write_workbook(tmp_path / "e.xlsx", {"Sheet1": [["x"]], "Sheet2": [["y"]]})
    staged, issues = stage_year(tmp_path, REGIONS, RULES)
    found = set(issues.select("source_file", "rule").rows())
    assert {
        ("a.xlsx", "not_a_number"),
        ("b.xlsx", "not_a_workbook"),
        ("c.xlsx", "empty_file"),
        ("d.xlsx", "public_funds_exceed_budget"),
        ("d.xlsx", "duplicate_key"),
        ("e.xlsx", "unknown_sheet"),
    } <= found
    assert staged.funding.height == 3


def test_missing_tables_and_population_are_errors(tmp_path: Path):
    sheets = valid_sheets()
    del sheets["安保"]
    sheets["人口"] = [HEADERS["人口"], ["622921", 1, 1, 1, 1]]
    write_workbook(tmp_path / "a.xlsx", sheets)
    two_counties = RegionTree(regions=tuple(r for r in _DEFAULT.regions if r.level != "county" or r.code in ("622921", "622922")))
    _, issues = stage_year(tmp_path, two_counties, RULES)
    # 622921 is there through its population row only: not reported (a population row alone does not count).
    assert sorted(_errors(issues).select("table_name", "rule", "value").rows(), key=str) == [
        ("population", "missing_population", "622922"),
        ("schools", "county_not_reported", "622921"),
        ("security", "missing_sheet", None),
    ]


def test_combine_year_is_the_pure_step_after_reading(tmp_path: Path):
    path = write_workbook(tmp_path / "a.xlsx", valid_sheets())
    result = read_and_normalize_file(path, tmp_path, RULES)
    assert result.source_file == "a.xlsx"
    assert set(result.tables) == {"schools", "enrollment", "staff", "security", "facilities", "funding", "population"}
    once = combine_year([result], REGIONS, RULES)
    twice = combine_year([result, result], REGIONS, RULES)
    staged_once, issues_once = once.staged, once.issues
    staged_twice, issues_twice = twice.staged, twice.issues
    assert issues_once.height == 0
    assert staged_twice.schools.height == 2 * staged_once.schools.height
    assert "duplicate_key" in issues_twice["rule"].to_list()


def test_students_change_against_previous_year(tmp_path: Path):
    write_workbook(tmp_path / "a.xlsx", valid_sheets())
    # school 1: 300 now vs 200 before → +50% > 30%; school 2: 90 vs 80 → +12.5%
    previous = pl.DataFrame({"school_code": ["2162000001", "2162000002"], "stage": ["primary", "preschool"], "students": [200, 80]})
    _, issues = stage_year(tmp_path, REGIONS, RULES, previous_enrollment=previous)
    assert issues.select("severity", "rule", "cell", "value").rows() == [("warning", "students_change", "C2", "300")]


def test_csv_inputs_in_gbk_and_utf8_bom(tmp_path: Path):
    sheets = valid_sheets()
    population = sheets.pop("人口")
    schools = sheets.pop("学校名录")
    write_workbook(tmp_path / "a.xlsx", sheets)
    (tmp_path / "人口.csv").write_bytes("\n".join(",".join(map(str, row)) for row in population).encode("gbk"))
    text = "\n".join(",".join("" if v is None else str(v) for v in row) for row in schools)
    (tmp_path / "622922_学校名录.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    staged, issues = stage_year(tmp_path, REGIONS, RULES)
    assert not has_errors(issues), issues.to_dicts()
    assert staged.population["age_3_5"].to_list() == [5000]
    assert staged.schools["source_sheet"].to_list() == ["622922_学校名录", "622922_学校名录"]


def test_missing_input_folder_is_an_issue(tmp_path: Path):
    _, issues = stage_year(tmp_path / "nope", REGIONS, RULES)
    assert has_errors(issues)
    assert "unreadable_file" in issues["rule"].to_list()


def test_a_county_only_in_the_prefecture_wide_population_file_has_not_reported(tmp_path: Path):
    sheets = valid_sheets()
    population = sheets.pop("人口")
    write_workbook(tmp_path / "622922.xlsx", sheets)
    # The prefecture sends one population file for all its counties; 622921 sent nothing else.
    rows = [population[0], population[1], ["622921", 4000, 1, 1, 1]]
    (tmp_path / "人口.csv").write_text("\n".join(",".join(map(str, row)) for row in rows), encoding="utf-8")
    two_counties = RegionTree(regions=tuple(r for r in _DEFAULT.regions if r.level != "county" or r.code in ("622921", "622922")))
    staged, issues = stage_year(tmp_path, two_counties, RULES)
    assert staged.population["county_code"].to_list() == ["622922", "622921"]
    assert _errors(issues).select("rule", "value", "source_file").rows() == [("county_not_reported", "622921", None)]
    assert "临夏县（622921）" in _errors(issues)["message_zh"][0]
