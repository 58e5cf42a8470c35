"""Completeness checks on tiny frames: every expected issue and status row worked out by hand from the rows below."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal
from schema_builders import headers, staged

from config import Region, RegionTree
from schemas.catalogue import load_checks
from schemas.checks import check_issues
from schemas.completeness.checks import completeness_issues, relaxed
from schemas.completeness.status import assess_completeness, county_status, merged_status
from schemas.completeness.wording import completeness_line, region_completeness, reporting_checklist
from schemas.rules import load_rules
from schemas.tables import TABLES

RULES = load_rules()
REGIONS = RegionTree(
    regions=(
        Region(code="620000", name_zh="甘肃省", name_en="Gansu", level="province"),
        Region(code="622900", name_zh="临夏州", name_en="Linxia Pref.", level="prefecture", parent_code="620000"),
        Region(code="622901", name_zh="临夏市", name_en="Linxia City", level="county", parent_code="622900"),
        Region(code="622921", name_zh="临夏县", name_en="Linxia County", level="county", parent_code="622900"),
    )
)
A, B = "6229010001", "6229210001"
"""School A (a primary school, 211) in 临夏市 (a.xlsx), school B (a primary school) in 临夏县 (b.xlsx)."""


def _year(**replaced: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """A complete year of two counties, one school each (registry rows: A at a.xlsx row 2, B at b.xlsx row 2); tables in ``replaced`` swapped in."""
    def school(code: str, county: str, name: str, file: str) -> pl.DataFrame:
        return staged("schools", [{"school_code": code, "school_name": name, "county_code": county, "school_type_code": "211", "urban_rural_code": "111", "ownership": "public"}], file=file)

    def per_stage(table: str, values: dict) -> pl.DataFrame:
        return pl.concat([staged(table, [{"school_code": A, "stage": "primary"} | values], file="a.xlsx"), staged(table, [{"school_code": B, "stage": "primary"} | values], file="b.xlsx")])

    def per_school(table: str, values: dict) -> pl.DataFrame:
        return pl.concat([staged(table, [{"school_code": A} | values], file="a.xlsx"), staged(table, [{"school_code": B} | values], file="b.xlsx")])

    tables = {
        "schools": pl.concat([school(A, "622901", "一小", "a.xlsx"), school(B, "622921", "二小", "b.xlsx")]),
        "enrollment": per_stage("enrollment", {"students": 300, "entrants": 50, "classes": 10, "classes_56_65": 0, "classes_66_plus": 0}),
        "staff": per_stage("staff", {"staff": 20, "teachers": 18}),
        "security": per_school("security", {"guards": 1}),
        "facilities": per_school("facilities", {"classrooms": 10.0}),
        "funding": per_stage("funding", {"budget_10k_yuan": 10.0, "public_funds_10k_yuan": 2.0}),
        "population": pl.concat([staged("population", [{"county_code": c, "age_3_5": 100}]) for c in ("622901", "622921")]),
    }
    return tables | replaced


HEADERS = pl.concat(
    [headers("schools", {"school_code": "A"}, file=f) for f in ("a.xlsx", "b.xlsx")]
    + [headers("enrollment", {"students": "C", "classes": "E"}, file=f) for f in ("a.xlsx", "b.xlsx")]
    + [headers("staff", {"teachers": "D"}, file=f) for f in ("a.xlsx", "b.xlsx")]
)


def _issues(tables: dict[str, pl.DataFrame], counties: list[str] | None = None, allow_incomplete: bool = False) -> pl.DataFrame:
    completeness = assess_completeness(tables, REGIONS, RULES, counties)
    return completeness_issues(tables, HEADERS, set(tables), completeness, REGIONS, RULES, allow_incomplete)


def _rows(issues: pl.DataFrame, *columns: str) -> list[tuple]:
    return issues.select("severity", "rule", *columns).rows()


def test_a_complete_year_has_no_issue_and_every_status_reported():
    tables = _year()
    assert _issues(tables).height == 0
    status = county_status(tables, REGIONS, RULES)
    assert status.height == 2 * 7
    assert status.get_column("is_reported").all()
    assert status.get_column("schools_missing_row").sum() == 0
    assert completeness_line(status, REGIONS) == "2 of 2 counties reported"


def test_a_county_with_no_school_is_not_reported_even_with_its_population_row():
    schools = _year()["schools"].filter(pl.col("county_code") == "622901")
    tables = {name: frame.filter(~pl.col("source_file").eq("b.xlsx")) if name not in ("schools", "population") else frame for name, frame in _year(schools=schools).items()}
    issues = _issues(tables)
    assert _rows(issues, "table_name", "value") == [("error", "county_not_reported", "schools", "622921")]
    assert issues["message_zh"][0] == "临夏县（622921）没有报送：输入中没有该县的任何学校"
    assert issues["message_en"][0] == "county 622921 (Linxia County) has not reported: no school of it in the input"
    status = county_status(tables, REGIONS, RULES)
    # 622921: its population row is there (reported), every school-level table is not.
    reported = dict(status.filter(pl.col("county_code") == "622921").select("table_name", "is_reported").rows())
    assert reported == {"schools": False, "enrollment": False, "staff": False, "security": False, "facilities": False, "funding": False, "population": True}
    assert completeness_line(status, REGIONS) == "1 of 2 counties reported; missing: 临夏县 622921"


def test_a_county_with_neither_schools_nor_population_is_not_reported():
    tables = {name: frame.filter(~pl.col("source_file").eq("b.xlsx")) for name, frame in _year().items() if name != "population"}
    tables["population"] = _year()["population"].filter(pl.col("county_code") == "622901")
    assert _rows(_issues(tables), "value") == [("error", "county_not_reported", "622921")]


def test_a_county_without_any_row_of_a_table_is_one_error_naming_its_files_not_one_per_school():
    tables = _year(funding=_year()["funding"].filter(pl.col("school_code") == A))
    issues = _issues(tables)
    assert _rows(issues, "table_name", "value", "source_file") == [("error", "table_not_reported", "funding", "622921", None)]
    assert issues["message_zh"][0] == "临夏县（622921）没有报送经费表（该县学校在：b.xlsx）"
    assert issues["message_en"][0] == "county 622921 (Linxia County) sent no row of table funding (经费); its schools are in: b.xlsx"
    status = county_status(tables, REGIONS, RULES)
    row = status.filter((pl.col("county_code") == "622921") & (pl.col("table_name") == "funding")).row(0, named=True)
    assert row == {"county_code": "622921", "table_name": "funding", "is_reported": False, "schools_missing_row": 1}


def test_a_counted_school_without_its_security_row_is_an_error_at_its_registry_row():
    schools = pl.concat([_year()["schools"], staged("schools", [{"school_code": "6229010002", "school_name": "三小", "county_code": "622901", "school_type_code": "211"}], file="a.xlsx").with_columns(pl.lit(3, dtype=pl.Int64).alias("source_row"))])
    facilities = pl.concat([_year()["facilities"], staged("facilities", [{"school_code": "6229010002", "classrooms": 4.0}], file="a.xlsx")])
    issues = _issues(_year(schools=schools, facilities=facilities))
    # 三小 has a facilities row (so it is counted) and no security row; no students, so no staff or funding row is due.
    assert _rows(issues, "table_name", "source_file", "source_sheet", "source_row", "cell", "value") == [
        ("error", "row_missing", "security", "a.xlsx", "schools", 3, "A3", "6229010002")
    ]
    assert issues["message_zh"][0] == "学校 6229010002（三小）缺少安保表的数据行（学校名录：a.xlsx [schools] 第 3 行）"
    assert issues["message_en"][0] == "school 6229010002 (三小) has no row in table security (registry entry: a.xlsx [schools] row 3)"


def test_a_registry_school_with_no_row_anywhere_is_not_counted_and_misses_nothing():
    schools = pl.concat([_year()["schools"], staged("schools", [{"school_code": "6229010003", "county_code": "622901", "school_type_code": "211"}], file="a.xlsx")])
    assert _issues(_year(schools=schools)).height == 0


def test_students_in_a_stage_need_its_staff_and_funding_rows_a_stage_of_0_students_needs_none():
    enrollment = pl.concat([
        _year()["enrollment"],
        staged("enrollment", [{"school_code": A, "stage": "preschool", "students": 0, "entrants": 0, "classes": 0, "classes_56_65": 0, "classes_66_plus": 0}], file="a.xlsx"),
    ])
    staff = _year()["staff"].filter(pl.col("school_code") == A)
    issues = _issues(_year(enrollment=enrollment, staff=staff))
    # 临夏县 sent no staff row at all: one table_not_reported, not a row_missing for B as well.
    assert _rows(issues, "table_name", "value") == [("error", "table_not_reported", "staff", "622921")]
    staff_a_only_primary = pl.concat([staff, staged("staff", [{"school_code": B, "stage": "preschool", "teachers": 1}], file="b.xlsx")])
    issues = _issues(_year(enrollment=enrollment, staff=staff_a_only_primary))
    assert _rows(issues, "table_name", "value") == [("error", "row_missing", "staff", B)]
    assert "（小学）" in issues["message_zh"][0] and "for stage primary" in issues["message_en"][0]


def test_class_sizes_beyond_55_and_65_a_class_need_large_and_super_large_classes():
    def row(students: int, classes: int, c56: int, c66: int) -> dict:
        return {"school_code": A, "stage": "primary", "students": students, "entrants": 0, "classes": classes, "classes_56_65": c56, "classes_66_plus": c66}

    cases = [
        row(551, 10, 0, 0),   # row 2: 55.1 a class, no large class → error, limit 55
        row(550, 10, 0, 0),   # row 3: exactly 55 → fine
        row(660, 10, 3, 0),   # row 4: 66 a class, large classes but no super-large one → error, limit 65
        row(650, 10, 3, 0),   # row 5: exactly 65 with large classes → fine
        row(700, 10, 0, 1),   # row 6: a super-large class is also a large one → fine
        row(10, 0, 0, 0),     # row 7: students without any class → error, limit 65 (more than 65 × 0)
    ]
    issues = _issues(_year(enrollment=staged("enrollment", cases, file="a.xlsx")))
    classes = issues.filter(pl.col("rule") == "inconsistent_class_sizes")
    assert classes.select("severity", "source_row", "cell", "value").rows() == [("error", 2, "E2", "551"), ("error", 4, "E4", "660"), ("error", 7, "E7", "10")]
    assert classes["message_zh"][0] == "小学在校生 551 人、10 个班，平均每班超过 55 人，但56-65人班数与66人及以上班数为 0"
    assert classes["message_en"][1] == "stage primary: 660 students in 10 classes is more than 65 a class, but classes_66_plus is 0"


def test_no_teachers_is_a_warning_where_the_stage_has_students():
    staff = pl.concat([
        staged("staff", [{"school_code": A, "stage": "primary", "teachers": 0}], file="a.xlsx"),
        staged("staff", [{"school_code": B, "stage": "primary", "teachers": 18}], file="b.xlsx"),
    ])
    # A check of config/checks.toml since issue 20: the completeness issues and the checks together.
    tables = _year(staff=staff)
    issues = pl.concat([_issues(tables), check_issues(load_checks(), tables, HEADERS, RULES)])
    assert _rows(issues, "table_name", "cell", "value") == [("warning", "no_teachers", "staff", "D2", "0")]
    assert issues["message_en"][0] == "stage primary has 300 students but no teacher"


def test_allow_incomplete_makes_the_three_gaps_warnings_and_keeps_class_sizes_an_error():
    base = _year()
    tables = _year(
        schools=base["schools"].filter(pl.col("county_code") == "622901"),
        security=base["security"].head(0),
        enrollment=pl.concat([base["enrollment"], staged("enrollment", [{"school_code": A, "stage": "preschool", "students": 100, "entrants": 0, "classes": 1, "classes_56_65": 0, "classes_66_plus": 0}], file="a.xlsx")]),
    )
    strict = _issues(tables)
    assert sorted(strict.select("rule", "severity").rows()) == [
        ("county_not_reported", "error"),
        ("inconsistent_class_sizes", "error"),  # 100 preschool children in one class
        ("row_missing", "error"),  # A: preschool staff
        ("row_missing", "error"),  # A: preschool funding
        ("table_not_reported", "error"),  # 622901: security
    ]
    loose = _issues(tables, allow_incomplete=True)
    assert sorted(loose.select("rule", "severity").rows()) == [
        ("county_not_reported", "warning"),
        ("inconsistent_class_sizes", "error"),
        ("row_missing", "warning"),
        ("row_missing", "warning"),
        ("table_not_reported", "warning"),
    ]
    assert_frame_equal(relaxed(strict), loose)


def test_a_correction_checks_completeness_of_its_counties_only():
    tables = {name: frame.filter(pl.col("source_file") == "a.xlsx") if name != "population" else frame for name, frame in _year().items()}
    assert _issues(tables).get_column("rule").to_list() == ["county_not_reported"]
    assert _issues(tables, counties=["622901"]).height == 0
    status = county_status(tables, REGIONS, RULES, ["622901"])
    assert status.get_column("county_code").unique().to_list() == ["622901"]


def test_merged_status_puts_a_correction_s_counties_over_the_stored_ones():
    stored = county_status({n: f.filter(pl.col("source_file") == "a.xlsx") if n != "population" else f for n, f in _year().items()}, REGIONS, RULES)
    assert completeness_line(stored, REGIONS) == "1 of 2 counties reported; missing: 临夏县 622921"
    touched = county_status(_year(), REGIONS, RULES, ["622921"])
    merged = merged_status(stored, touched, ["622921"], REGIONS)
    assert_frame_equal(merged, county_status(_year(), REGIONS, RULES))
    assert completeness_line(merged, REGIONS) == "2 of 2 counties reported"


def test_region_completeness_says_what_an_incomplete_region_misses():
    status = pl.DataFrame(
        [
            ("622900", "schools", 8, 7, 0, False),
            ("622900", "funding", 8, 6, 3, False),
            ("622900", "staff", 8, 7, 0, False),
            ("622901", "schools", 1, 1, 0, True),
            ("622901", "funding", 1, 1, 0, True),
            ("622921", "schools", 1, 0, 0, False),
            # all 8 counties sent schools, 6 sent staff: 2 lack it
            ("623000", "schools", 8, 8, 0, True),
            ("623000", "staff", 8, 6, 0, False),
        ],
        schema=["region_code", "table_name", "counties_expected", "counties_reported", "schools_missing_row", "is_complete"],
        orient="row",
    )
    assert region_completeness(status).rows() == [
        ("622900", False, "7 of 8 counties reported; 经费 funding missing in 1 county; 3 missing school rows"),
        ("622901", True, None),
        ("622921", False, "not reported"),
        ("623000", False, "教职工 staff missing in 2 counties"),
    ]


def test_the_checklist_shows_each_county_s_schools_and_rows_per_table():
    tables = _year(funding=_year()["funding"].filter(pl.col("school_code") == A))
    status = county_status(tables, REGIONS, RULES)
    checklist = reporting_checklist(tables, status, REGIONS)
    assert checklist.columns[:3] == ["county_code", "county 县", "schools 学校"]
    assert checklist.select("county_code", "schools 学校", f"{TABLES['funding'].sheet_zh} funding", "missing rows 缺行").rows() == [
        ("622901", 1, "✓ 1", 0),
        ("622921", 1, "✗", 0),
    ]


def test_gaps_are_not_reported_while_a_file_could_not_be_read():
    from schemas.completeness.checks import without_unread_gaps
    from schemas.issues import issue, issue_frame

    gaps = _issues({n: f.filter(pl.col("source_file") == "a.xlsx") if n != "population" else f for n, f in _year().items()})
    assert gaps.get_column("rule").to_list() == ["county_not_reported"]
    unread = issue_frame([issue("not_a_workbook", "error", source_file="b.xlsx")])
    both = pl.concat([unread, gaps])
    assert without_unread_gaps(both).get_column("rule").to_list() == ["not_a_workbook"]
    assert_frame_equal(without_unread_gaps(gaps), gaps)
