import polars as pl
from schema_builders import headers, staged

from config import Checks, load_regions
from schemas.catalogue import load_checks
from schemas.checks import check_issues
from schemas.completeness.status import assess_completeness
from schemas.cross_table import (
    allowed_stages,
    cross_table_issues,
    duplicate_key_issues,
    missing_population_issues,
    missing_sheet_issues,
    stage_not_allowed_issues,
    students_change_warnings,
    unknown_county_issues,
    unknown_school_issues,
)
from schemas.rules import load_rules
from schemas.school_rows import pair_school_rows
from schemas.tables import TABLES

RULES = load_rules()
REGIONS = load_regions()
NO_HEADERS = headers("schools", {})


def pupil_teacher_ratio_warnings(enrollment: pl.DataFrame, staff: pl.DataFrame, letters: pl.DataFrame, rules) -> pl.DataFrame:
    """The pupil-teacher ratio check of config/checks.toml (it was Python before issue 20) on these two tables."""
    ratio = Checks(checks=tuple(c for c in load_checks().checks if c.code == "pupil_teacher_ratio"))
    return check_issues(ratio, {"enrollment": enrollment, "staff": staff}, letters, rules)


def school(code: str, type_code: str = "211", county: str = "622922") -> dict:
    return {"school_code": code, "school_name": "x", "county_code": county, "school_type_code": type_code,
            "urban_rural_code": "121", "ownership": "public"}


def test_duplicate_keys_report_every_occurrence_with_the_others():
    frame = pl.concat([
        staged("schools", [school("2162000001"), school("2162000002")], file="a.xlsx"),
        staged("schools", [school("2162000001")], file="b.xlsx"),
        staged("schools", [school("2162000001")], file="c.xlsx"),
    ])
    letters = pl.concat([headers("schools", {"school_code": "B"}, file=f) for f in ("a.xlsx", "b.xlsx", "c.xlsx")])
    issues = duplicate_key_issues("schools", frame, letters, 5)
    assert issues.select("source_file", "source_row", "cell", "value").rows() == [
        ("a.xlsx", 2, "B2", "2162000001"),
        ("b.xlsx", 2, "B2", "2162000001"),
        ("c.xlsx", 2, "B2", "2162000001"),
    ]
    assert issues["message_en"][0] == "duplicate school_code '2162000001'; also at: b.xlsx [schools] row 2; c.xlsx [schools] row 2"


def test_a_duplicate_key_names_the_first_others_and_counts_the_rest():
    frame = staged("schools", [school("2162000001") for _ in range(6)], file="a.xlsx")  # rows 2–7
    issues = duplicate_key_issues("schools", frame, NO_HEADERS, 2)
    assert issues.height == 6
    # Row 2 names rows 3 and 4 and counts the other three (5, 6, 7); row 4 names rows 2 and 3, and counts three.
    assert issues["message_en"][0] == "duplicate school_code '2162000001'; also at: a.xlsx [schools] row 3; a.xlsx [schools] row 4; and 3 more"
    assert issues["message_en"][2].endswith("also at: a.xlsx [schools] row 2; a.xlsx [schools] row 3; and 3 more")
    assert issues["message_zh"][0].endswith("a.xlsx [schools] 第 4 行；另有 3 处")
    pair = duplicate_key_issues("schools", frame.head(3), NO_HEADERS, 2)
    assert pair["message_en"][0].endswith("also at: a.xlsx [schools] row 3; a.xlsx [schools] row 4")


def test_duplicate_key_of_a_school_stage_table_uses_both_columns():
    rows = [{"school_code": "2162000001", "stage": "primary"}, {"school_code": "2162000001", "stage": "junior"},
            {"school_code": "2162000001", "stage": "primary"}]
    issues = duplicate_key_issues("enrollment", staged("enrollment", rows), NO_HEADERS, 5)
    assert issues.select("source_row", "value").rows() == [(2, "2162000001/primary"), (4, "2162000001/primary")]


def test_null_keys_are_not_duplicates():
    rows = [{"school_code": None}, {"school_code": None}]
    assert duplicate_key_issues("security", staged("security", rows), NO_HEADERS, 5).height == 0


def test_unknown_school_in_data_tables():
    schools = staged("schools", [school("2162000001")])
    tables = {
        "security": staged("security", [{"school_code": "2162000001"}, {"school_code": "2162000002"}]),
        "funding": staged("funding", [{"school_code": "2162000003", "stage": "primary"}]),
    }
    issues = unknown_school_issues(pair_school_rows({"schools": schools, **tables}), headers("security", {"school_code": "A"}))
    assert issues.select("table_name", "source_row", "cell", "value").rows() == [
        ("funding", 2, None, "2162000003"),
        ("security", 3, "A3", "2162000002"),
    ]


def test_stage_not_allowed_for_the_school_type():
    schools = staged("schools", [school("2162000001", "211"), school("2162000002", "341"), school("2162000003", "999")])
    enrollment = staged("enrollment", [
        {"school_code": "2162000001", "stage": "preschool"},  # 211 may have attached kindergarten classes
        {"school_code": "2162000001", "stage": "senior"},     # not allowed
        {"school_code": "2162000002", "stage": "primary"},    # 341 is junior + senior only
        {"school_code": "2162000003", "stage": "senior"},     # unknown type: already an error, skipped
    ])
    issues = stage_not_allowed_issues(schools, {"enrollment": enrollment}, NO_HEADERS, RULES)
    assert issues.select("source_row", "value").rows() == [(3, "senior"), (4, "primary")]
    assert issues["message_zh"][0] == "办学类型为 211 的学校不能有学段“普通高中”"


def test_allowed_stages_come_from_config():
    pairs = set(allowed_stages(RULES).rows())
    assert ("312", "junior") in pairs and ("111", "primary") not in pairs


def test_unknown_county():
    tables = {"schools": staged("schools", [school("2162000001", county="622922"), school("2162000002", county="110101")]),
              "population": staged("population", [{"county_code": "622999"}])}
    issues = unknown_county_issues(tables, NO_HEADERS, REGIONS)
    assert issues.select("table_name", "value").rows() == [("population", "622999"), ("schools", "110101")]


def test_missing_sheet_and_missing_population():
    assert missing_sheet_issues(set(TABLES) - {"staff"})["table_name"].to_list() == ["staff"]
    schools = staged("schools", [school("2162000001", county="622922"), school("2162000002", county="622901"),
                                 school("2162000003", county="110101")])
    population = staged("population", [{"county_code": "622901"}])
    issues = missing_population_issues(schools, population, REGIONS)
    assert issues.select("value", "message_zh").rows() == [("622922", "康乐县（622922）有学校但没有人口数据")]


def test_pupil_teacher_ratio_outside_bounds():
    enrollment = staged("enrollment", [
        {"school_code": "1", "stage": "primary", "students": 410},   # 410 / 10 = 41 > 40
        {"school_code": "2", "stage": "primary", "students": 400},   # 400 / 10 = 40: inside
        {"school_code": "3", "stage": "primary", "students": 9},     # 9 / 2 = 4.5 < 5
        {"school_code": "4", "stage": "primary", "students": 9},     # no teachers: no ratio
    ])
    staff = staged("staff", [
        {"school_code": "1", "stage": "primary", "teachers": 10},
        {"school_code": "2", "stage": "primary", "teachers": 10},
        {"school_code": "3", "stage": "primary", "teachers": 2},
        {"school_code": "4", "stage": "primary", "teachers": 0},
    ])
    issues = pupil_teacher_ratio_warnings(enrollment, staff, headers("staff", {"teachers": "D"}), RULES)
    assert issues.select("severity", "source_row", "cell", "value").rows() == [("warning", 2, "D2", "10"), ("warning", 4, "D4", "2")]
    assert "41.0" in issues["message_en"][0] and "4.5" in issues["message_en"][1]


def test_students_change_warnings():
    enrollment = staged("enrollment", [
        {"school_code": "1", "stage": "primary", "students": 100},
        {"school_code": "1", "stage": "junior", "students": 31},   # school 1: 131 vs 100 → +31% > 30%
        {"school_code": "2", "stage": "primary", "students": 130}, # school 2: 130 vs 100 → +30%, not beyond
        {"school_code": "3", "stage": "primary", "students": 69},  # school 3: 69 vs 100 → −31%
        {"school_code": "4", "stage": "primary", "students": 50},  # school 4: new, no previous
    ])
    previous = pl.DataFrame({"school_code": ["1", "2", "3"], "stage": ["primary"] * 3, "students": [100, 100, 100]})
    issues = students_change_warnings(enrollment, previous, 0.30)
    assert issues.select("severity", "source_row", "value").rows() == [("warning", 2, "131"), ("warning", 5, "69")]
    assert "31.0%" in issues["message_en"][0] and "-31.0%" in issues["message_en"][1]
    assert students_change_warnings(enrollment, previous.clear(), 0.30).height == 0
    assert students_change_warnings(enrollment, None, 0.30).height == 0


def test_cross_table_issues_skip_echoes_of_a_missing_schools_table():
    tables = {name: staged(name, []) for name in TABLES}
    tables["security"] = staged("security", [{"school_code": "2162000001"}])
    issues = cross_table_issues(tables, NO_HEADERS, set(TABLES) - {"schools"}, REGIONS, RULES, assess_completeness(tables, REGIONS, RULES))
    assert issues.select("table_name", "rule").rows() == [("schools", "missing_sheet")]


def test_unknown_students_give_no_ratio_and_no_change_warning():
    # An unreadable or empty students cell is staged as null, a negative one stays negative; each is an error
    # of its own. Summed as they are, they would invent ratios 0 / 20 = 0 and −5 / 20, and changes of −100%.
    enrollment = staged("enrollment", [
        {"school_code": "1", "stage": "primary", "students": None},
        {"school_code": "2", "stage": "primary", "students": None},
        {"school_code": "2", "stage": "junior", "students": 100},   # school 2 total unknown: 100 + ?
        {"school_code": "3", "stage": "primary", "students": -5},
    ])
    staff = staged("staff", [
        {"school_code": "1", "stage": "primary", "teachers": 20},
        {"school_code": "3", "stage": "primary", "teachers": 20},
    ])
    assert pupil_teacher_ratio_warnings(enrollment, staff, headers("staff", {"teachers": "D"}), RULES).height == 0
    previous = pl.DataFrame({"school_code": ["1", "2", "3"], "stage": ["primary"] * 3, "students": [100, 300, 100]})
    assert students_change_warnings(enrollment, previous, 0.30).height == 0
