"""Each check of config/checks.toml fires on a hand-made row that breaks it, and stays quiet on its neighbour that does not."""

from __future__ import annotations

import polars as pl
import pytest
from schema_builders import headers, staged

from schemas.catalogue import load_checks
from schemas.checks import check_issues
from schemas.rules import load_rules

RULES = load_rules()
CHECKS = load_checks()
A = "2162000001"
SCHOOL = {"school_code": A, "school_name": "一小", "county_code": "622901", "school_type_code": "211", "urban_rural_code": "111", "ownership": "public"}
PRIMARY = {"school_code": A, "stage": "primary"}


def _fired(tables: dict[str, list[dict]]) -> list[str]:
    frames = {name: staged(name, rows) for name, rows in tables.items()}
    return sorted(set(check_issues(CHECKS, frames, headers("schools", {}), RULES)["rule"].to_list()))


# (code, tables breaking it, the same tables mended)
CASES = [
    ("multimedia_within_classrooms", {"facilities": [{"school_code": A, "classrooms": 10.0, "multimedia_classrooms": 11.0}]},
     {"facilities": [{"school_code": A, "classrooms": 10.0, "multimedia_classrooms": 10.0}]}),
    ("classes_exceed_students", {"enrollment": [PRIMARY | {"students": 3, "classes": 4}]}, {"enrollment": [PRIMARY | {"students": 4, "classes": 4}]}),
    ("preschool_class_size", {"enrollment": [{"school_code": A, "stage": "preschool", "students": 71, "classes": 2}]},
     {"enrollment": [{"school_code": A, "stage": "preschool", "students": 70, "classes": 2}]}),
    ("teaching_area_for_classrooms", {"facilities": [{"school_code": A, "teaching_area_m2": 399.0, "classrooms": 10.0}]},
     {"facilities": [{"school_code": A, "teaching_area_m2": 400.0, "classrooms": 10.0}]}),
    ("computers_for_multimedia_classrooms", {"facilities": [{"school_code": A, "computers": 4.0, "multimedia_classrooms": 5.0}]},
     {"facilities": [{"school_code": A, "computers": 5.0, "multimedia_classrooms": 5.0}]}),
    ("equipment_value_for_computers", {"facilities": [{"school_code": A, "equipment_value_10k_yuan": 0.0, "computers": 1.0}]},
     {"facilities": [{"school_code": A, "equipment_value_10k_yuan": 0.0, "computers": 0.0}]}),
    ("classrooms_for_classes", {"facilities": [{"school_code": A, "classrooms": 0.0}], "enrollment": [PRIMARY | {"classes": 1}]},
     {"facilities": [{"school_code": A, "classrooms": 0.0}], "enrollment": [PRIMARY | {"classes": 0}]}),
    ("books_for_pupils", {"schools": [SCHOOL], "facilities": [{"school_code": A, "books": 0.0}], "enrollment": [PRIMARY | {"students": 5}]},
     {"schools": [SCHOOL | {"school_type_code": "111"}], "facilities": [{"school_code": A, "books": 0.0}], "enrollment": [PRIMARY | {"students": 5}]}),
    ("public_budget_for_pupils", {"schools": [SCHOOL], "funding": [PRIMARY | {"budget_10k_yuan": 0.0}], "enrollment": [PRIMARY | {"students": 5}]},
     {"schools": [SCHOOL | {"ownership": "private"}], "funding": [PRIMARY | {"budget_10k_yuan": 0.0}], "enrollment": [PRIMARY | {"students": 5}]}),
    # 5 + (1,000 + 500) / 500 = 8 guards at most
    ("guards_beyond_standard", {"security": [{"school_code": A, "guards": 9}], "enrollment": [PRIMARY | {"students": 1000}], "staff": [PRIMARY | {"staff": 500}]},
     {"security": [{"school_code": A, "guards": 8}], "enrollment": [PRIMARY | {"students": 1000}], "staff": [PRIMARY | {"staff": 500}]}),
    ("no_teachers", {"staff": [PRIMARY | {"teachers": 0}], "enrollment": [PRIMARY | {"students": 5}]},
     {"staff": [PRIMARY | {"teachers": 0}], "enrollment": [PRIMARY | {"students": 0}]}),
]  # fmt: skip


@pytest.mark.parametrize(("code", "broken", "mended"), CASES, ids=[case[0] for case in CASES])
def test_a_check_fires_on_its_broken_row_alone(code: str, broken: dict, mended: dict):
    assert code in _fired(broken)
    assert code not in _fired(mended)


def test_every_check_of_the_file_has_a_case_here_or_in_the_moved_rules_tests():
    moved = {"entrants_exceed_students", "classes_missing", "large_classes_exceed_classes", "teachers_exceed_staff", "exceeds_teachers",
             "public_funds_exceed_budget", "pupil_teacher_ratio"}  # tests/schemas/test_schema_validate.py, test_schema_cross_table.py
    assert set(CHECKS.codes()) == moved | {case[0] for case in CASES}


def test_exceeds_teachers_bounds_exactly_the_teacher_sub_counts_the_template_states():
    # config/checks.toml lists the sub-counts by hand; the staff spec declares them and the template says "≤ 专任教师数" beside each.
    from schemas.staff import TEACHER_SUB_COUNTS
    from schemas.tables import TABLES

    bounded = [check.column for check in CHECKS.checks if check.code == "exceeds_teachers"]
    assert bounded == list(TEACHER_SUB_COUNTS)
    staff = TABLES["staff"]
    assert [c.name for c in staff.columns if c.rule_zh == "≤ 专任教师数"] == [
        "teachers_above_degree", "teachers_senior_title", "backbone_teachers", "pe_art_teachers", "putonghua_qualified", "new_teachers",
    ]
