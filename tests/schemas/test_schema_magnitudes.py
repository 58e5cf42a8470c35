"""Plausible magnitudes: a value above its column's ceiling is an error, above the unusual mark a warning, each naming its cell."""

from __future__ import annotations

import math

import pytest
from schema_builders import headers, staged

from schemas.rules import load_rules
from schemas.validate import validate_table

RULES = load_rules()

FACILITIES = {"school_code": "2162000001", "teaching_area_m2": 2400.5, "sports_area_m2": 3000.0,
              "equipment_value_10k_yuan": 85.5, "computers": 40.0, "books": 12000.0, "classrooms": 12.0,
              "multimedia_classrooms": 10.0}
FUNDING = {"school_code": "2162000001", "stage": "primary", "budget_10k_yuan": 500.25, "public_funds_10k_yuan": 60.5}
POPULATION = {"county_code": "622922", "age_3_5": 5000, "age_6_11": 11000, "age_12_14": 5200, "age_15_17": 5100}


def _issues(table: str, rows: list[dict], letters: dict[str, str]) -> list[tuple]:
    issues = validate_table(table, staged(table, rows, file="622922.xlsx", sheet="办学条件"), headers(table, letters, file="622922.xlsx", sheet="办学条件"), RULES)
    return issues.select("severity", "source_file", "source_sheet", "source_row", "cell", "value", "rule").rows()


def test_plausible_values_and_values_exactly_at_a_ceiling_give_no_issue() -> None:
    at_unusual = FACILITIES | {"books": RULES.ceilings["facilities"]["books"].unusual}
    assert _issues("facilities", [FACILITIES, at_unusual], {"books": "F"}) == []


@pytest.mark.parametrize("value", [1e308, 1e160, 10_000_000.5, math.inf, math.nan])
def test_an_area_beyond_ten_million_square_metres_is_an_error_naming_file_sheet_row_and_cell(value: float) -> None:
    found = _issues("facilities", [FACILITIES, FACILITIES | {"teaching_area_m2": value}], {"teaching_area_m2": "A"})
    assert [(severity, file, sheet, row, cell, rule) for severity, file, sheet, row, cell, _, rule in found] == [
        ("error", "622922.xlsx", "办学条件", 3, "A3", "implausible_value")
    ]


def test_the_message_names_the_column_its_value_and_the_ceiling_in_chinese_and_english() -> None:
    rows = staged("funding", [FUNDING | {"budget_10k_yuan": 1e13, "public_funds_10k_yuan": 60.5}])
    issues = validate_table("funding", rows, headers("funding", {"budget_10k_yuan": "C"}), RULES)
    found = issues.filter(issues["rule"] == "implausible_value")
    assert found["cell"].to_list() == ["C2"] and found["value"].to_list() == ["10000000000000"]
    assert found["message_zh"][0] == "一般公共预算教育支出（10000000000000）超过每所学校每个学段可能的上限 1,000,000万元，不可能是真实数据；请检查单位和位数"
    assert found["message_en"][0] == "budget_10k_yuan (10000000000000) is beyond 1,000,000, more than a school and stage can have; check the unit and the digits"


def test_an_unusual_but_possible_value_is_a_warning() -> None:
    found = _issues("facilities", [FACILITIES | {"books": 5_000_000.0}], {"books": "F"})
    assert found == [("warning", "622922.xlsx", "办学条件", 2, "F2", "5000000", "unusual_value")]


def test_empty_cells_have_no_magnitude() -> None:
    assert [rule for *_, rule in _issues("facilities", [FACILITIES | {"books": None}], {"books": "F"})] == []


def test_population_ceilings_fit_a_county_not_a_school() -> None:
    # 200,000 children of 6–11 in one county is a large county, far beyond any school's pupils.
    county = POPULATION | {"age_6_11": 200_000}
    issues = validate_table("population", staged("population", [county]), headers("population", {}), RULES)
    assert issues.height == 0
    nation = POPULATION | {"age_6_11": 100_000_000}
    issues = validate_table("population", staged("population", [nation]), headers("population", {"age_6_11": "C"}), RULES)
    assert issues.select("cell", "rule").rows() == [("C2", "implausible_value")]
    assert "每个县" in issues["message_zh"][0] and "a county" in issues["message_en"][0]


def test_students_above_the_ceiling_are_an_error_and_below_it_a_warning() -> None:
    enrollment = {"school_code": "2162000001", "stage": "primary", "entrants": 10, "classes": 3000,
                  "classes_56_65": 0, "classes_66_plus": 0}
    rows = [enrollment | {"students": 100_001}, enrollment | {"students": 30_000, "classes": 600}]
    issues = validate_table("enrollment", staged("enrollment", rows), headers("enrollment", {"students": "C", "classes": "E"}), RULES)
    assert sorted(issues.select("severity", "cell", "rule").rows()) == [
        ("error", "C2", "implausible_value"), ("error", "E2", "implausible_value"),
        ("warning", "C3", "unusual_value"), ("warning", "E3", "unusual_value"),
    ]
