import polars as pl
import pytest
from schema_builders import headers, staged

from schemas.catalogue import load_checks
from schemas.checks import check_issues
from schemas.issues import concat_issues
from schemas.rules import load_rules
from schemas.tables import TABLES
from schemas.validate import table_schema, validate_table

RULES = load_rules()

SCHOOL = {"school_code": "2162000001", "school_name": "一小", "county_code": "622922", "school_type_code": "211",
          "urban_rural_code": "121", "ownership": "public", "is_inclusive": None}
ENROLLMENT = {"school_code": "2162000001", "stage": "primary", "students": 10, "entrants": 2, "classes": 1,
              "classes_56_65": 0, "classes_66_plus": 0}
STAFF = {"school_code": "2162000001", "stage": "primary", "staff": 10, "teachers": 8, "teachers_above_degree": 8,
         "teachers_senior_title": 1, "backbone_teachers": 1, "pe_art_teachers": 1, "putonghua_qualified": 8,
         "new_teachers": 0, "training_sessions": 3}


def _validated(table: str, frame: pl.DataFrame, letters: pl.DataFrame) -> pl.DataFrame:
    """The table's schema and, since issue 20, the row relations of config/checks.toml that were Pandera checks."""
    return concat_issues([validate_table(table, frame, letters, RULES), check_issues(load_checks(), {table: frame}, letters, RULES)])


def _rules(table: str, rows: list[dict], letters: dict[str, str] | None = None) -> list[tuple]:
    issues = _validated(table, staged(table, rows), headers(table, letters or {}))
    return issues.select("source_row", "cell", "value", "rule").rows()


@pytest.mark.parametrize("table", list(TABLES))
def test_every_table_has_a_pandera_schema_over_contract_and_provenance_columns(table: str):
    schema = table_schema(table, RULES)
    assert set(schema.columns) == {*TABLES[table].column_names, "source_file", "source_sheet", "source_row"}


def test_valid_rows_give_no_issue():
    assert _rules("schools", [SCHOOL]) == []
    assert _rules("enrollment", [ENROLLMENT]) == []
    assert _rules("staff", [STAFF]) == []


def test_entrants_above_students_names_the_entrants_cell():
    rows = [ENROLLMENT, ENROLLMENT | {"students": 10, "entrants": 12}]
    issues = _validated("enrollment", staged("enrollment", rows), headers("enrollment", {"entrants": "D"}))
    assert issues.select("source_row", "column_header", "cell", "value", "rule").rows() == [
        (3, "entrants", "D3", "12", "entrants_exceed_students")
    ]
    assert issues["message_zh"][0] == "招生数（12）大于在校生数（10）"


def test_class_rules():
    rows = [
        ENROLLMENT | {"students": 5, "classes": 0},  # row 2: students but no classes
        ENROLLMENT | {"classes": 2, "classes_56_65": 2, "classes_66_plus": 1},  # row 3: 2 + 1 > 2
        ENROLLMENT | {"students": 0, "entrants": 0, "classes": 0},  # row 4: no students, no classes: fine
    ]
    assert _rules("enrollment", rows, {"classes": "E"}) == [
        (2, "E2", "0", "classes_missing"),
        (3, "E3", "2", "large_classes_exceed_classes"),
    ]


def test_negative_counts_are_reported_once_not_again_by_row_rules():
    # students -1: negative_value only (entrants 2 > -1 is not judged)
    assert _rules("enrollment", [ENROLLMENT | {"students": -1}], {"students": "C"}) == [(2, "C2", "-1", "negative_value")]


def test_staff_rules():
    rows = [STAFF | {"teachers": 11}, STAFF | {"backbone_teachers": 9, "new_teachers": 9}]
    # row 2: teachers 11 > staff 10 (sub-counts 8 ≤ 11 fine); row 3: backbone 9 > 8 and new 9 > 8
    assert sorted(_rules("staff", rows)) == [
        (2, None, "11", "teachers_exceed_staff"),
        (3, None, "9", "exceeds_teachers"),
        (3, None, "9", "exceeds_teachers"),
    ]


def test_public_funds_within_budget():
    rows = [{"school_code": "2162000001", "stage": "primary", "budget_10k_yuan": 10.0, "public_funds_10k_yuan": 10.5}]
    assert _rules("funding", rows) == [(2, None, "10.5", "public_funds_exceed_budget")]


def test_school_codes_from_config_and_inclusive_answer():
    rows = [
        SCHOOL | {"school_type_code": "999"},
        SCHOOL | {"school_code": "2162000002", "urban_rural_code": "130"},
        SCHOOL | {"school_code": "2162000003", "school_type_code": "111", "ownership": "private", "is_inclusive": None},
        SCHOOL | {"school_code": "2162000004", "school_type_code": "111", "ownership": "public", "is_inclusive": None},
    ]
    assert _rules("schools", rows) == [
        (2, None, "999", "unknown_school_type"),
        (3, None, "130", "unknown_urban_rural"),
        (4, None, None, "inclusive_required"),
    ]


def test_bad_code_and_unknown_stage_and_negative_numbers():
    assert _rules("security", [{"school_code": "216", "guards": -2, "has_video": True, "has_alarm": True,
                                "is_closed_campus": True, "has_police_post": False}]) == [
        (2, None, "216", "bad_code"),
        (2, None, "-2", "negative_value"),
    ]
    assert _rules("funding", [{"school_code": "2162000001", "stage": "college", "budget_10k_yuan": 1.0,
                               "public_funds_10k_yuan": 0.0}]) == [(2, None, "college", "unknown_stage")]


def test_nulls_are_left_to_ingest():
    # ingest already reported every empty required cell; the schema must not report it again
    assert _rules("population", [{"county_code": "622922", "age_3_5": None, "age_6_11": 1, "age_12_14": 1, "age_15_17": 1}]) == []


def test_issue_rows_point_at_the_right_file_of_a_multi_file_table():
    frame = pl.concat([staged("population", [{"county_code": "622921", "age_3_5": 1, "age_6_11": 1, "age_12_14": 1, "age_15_17": 1}], file="a.xlsx"),
                       staged("population", [{"county_code": "622922", "age_3_5": -5, "age_6_11": 1, "age_12_14": 1, "age_15_17": 1}], file="b.xlsx")])
    letters = pl.concat([headers("population", {"age_3_5": "B"}, file="a.xlsx"), headers("population", {"age_3_5": "C"}, file="b.xlsx")])
    issues = validate_table("population", frame, letters, RULES)
    assert issues.select("source_file", "source_row", "cell", "rule").rows() == [("b.xlsx", 2, "C2", "negative_value")]


def test_inherited_stage_check_keeps_its_rule_code_in_every_table():
    # pandera names an inherited check of a later subclass by its method; both are the rule code
    for table in ("enrollment", "staff", "funding", "enrollment"):
        issues = validate_table(table, staged(table, [{"school_code": "2162000001", "stage": "college"}]), headers(table, {}), RULES)
        assert issues.filter(pl.col("value") == "college")["rule"].to_list() == ["unknown_stage"], table
