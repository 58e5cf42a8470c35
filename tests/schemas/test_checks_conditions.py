"""Relationship checks (contract §3 "Checks are data") on tiny frames: one test per form of condition, expectations worked out by hand."""

from __future__ import annotations

import polars as pl
import pytest
from schema_builders import headers, staged

from config import Check, Checks
from config.check_conditions import Arithmetic, Column, Comparison, ConditionSyntaxError, Logical, Number, parse_condition
from schemas.checks import check_issues
from schemas.rules import load_rules

RULES = load_rules()
A, B, C = "2162000001", "2162000002", "2162000003"


def _check(condition: str, table: str = "facilities", **extra: object) -> Checks:
    fields = {"code": "my_check", "severity": "error", "table": table, "condition": condition, "message_zh": "错", "message_en": "wrong"} | extra
    return Checks(checks=(Check.model_validate(fields),))


def _run(checks: Checks, tables: dict[str, pl.DataFrame], letters: dict[str, str] | None = None, table: str = "facilities") -> list[tuple]:
    issues = check_issues(checks, tables, headers(table, letters or {}), RULES)
    return issues.select("source_row", "cell", "value", "rule").rows()


def _facilities(*rows: dict) -> pl.DataFrame:
    return staged("facilities", [{"school_code": A} | row for row in rows])


# --- the parser ---------------------------------------------------------------------------------


def test_and_binds_tighter_than_or_and_products_tighter_than_sums():
    parsed = parse_condition("a + b * 2 <= c or d > 1 and e.f != 0")
    a_b = Arithmetic("+", Column("a"), Arithmetic("*", Column("b"), Number(2.0)))
    assert parsed == Logical("or", (
        Comparison("<=", a_b, Column("c")),
        Logical("and", (Comparison(">", Column("d"), Number(1)), Comparison("!=", Column("f", "e"), Number(0)))),
    ))
    assert parse_condition("(a + b) * 2 <= c").left == Arithmetic("*", Arithmetic("+", Column("a"), Column("b")), Number(2))


@pytest.mark.parametrize("text", ["a <=", "a b", "a <= b c", "(a <= b", "a + <= b", "a <= b and", ""])
def test_unreadable_conditions_raise(text: str):
    with pytest.raises(ConditionSyntaxError) as raised:
        parse_condition(text)
    assert raised.value.operator is None


@pytest.mark.parametrize("text, operator", [("a =< b", "=<"), ("a = b", "="), ("a <> b", "<>")])
def test_an_unknown_operator_is_named(text: str, operator: str):
    with pytest.raises(ConditionSyntaxError) as raised:
        parse_condition(text)
    assert raised.value.operator == operator


# --- within a row ---------------------------------------------------------------------------------


def test_column_against_column_points_at_the_first_column():
    frame = _facilities(
        {"multimedia_classrooms": 3, "classrooms": 5},   # row 2: 3 ≤ 5 holds
        {"multimedia_classrooms": 5, "classrooms": 5},   # row 3: 5 ≤ 5 holds
        {"multimedia_classrooms": 6, "classrooms": 5},   # row 4: 6 > 5 broken
    )
    checks = _check("multimedia_classrooms <= classrooms")
    # facilities are numbers (staged as floats), shown as stored
    assert _run(checks, {"facilities": frame}, {"multimedia_classrooms": "H", "classrooms": "G"}) == [(4, "H4", "6.0", "my_check")]


@pytest.mark.parametrize("op, broken_rows", [("<=", [4]), ("<", [3, 4]), (">=", [2]), (">", [2, 3]), ("==", [2, 4]), ("!=", [3])])
def test_each_operator_against_a_number(op: str, broken_rows: list[int]):
    # computers 9, 10, 11 against 10
    frame = _facilities({"computers": 9}, {"computers": 10}, {"computers": 11})
    assert [row for row, *_ in _run(_check(f"computers {op} 10"), {"facilities": frame})] == broken_rows


def test_an_empty_or_negative_cell_makes_the_condition_not_apply():
    frame = _facilities(
        {"multimedia_classrooms": 6, "classrooms": None},   # missing is not zero: 6 ≤ 0 is not judged
        {"multimedia_classrooms": None, "classrooms": 5},
        {"multimedia_classrooms": 6, "classrooms": -1},     # negative: its own error already
        {"multimedia_classrooms": 6, "classrooms": 5},      # row 5: judged and broken
    )
    assert _run(_check("multimedia_classrooms <= classrooms"), {"facilities": frame}) == [(5, None, "6.0", "my_check")]


def test_arithmetic_with_all_four_operators():
    # 2 × classrooms − multimedia + computers / 4 ≥ 10 — row 2: 2·3 − 1 + 8/4 = 7 < 10 broken; row 3: 2·5 − 1 + 8/4 = 11 holds
    frame = _facilities({"classrooms": 3, "multimedia_classrooms": 1, "computers": 8}, {"classrooms": 5, "multimedia_classrooms": 1, "computers": 8})
    checks = _check("2 * classrooms - multimedia_classrooms + computers / 4 >= 10")
    assert [row for row, *_ in _run(checks, {"facilities": frame})] == [2]


def test_a_division_by_zero_does_not_apply():
    # books / computers ≤ 100: row 2 has no computers (no ratio, no problem); row 3: 300 / 2 = 150 > 100 broken
    frame = _facilities({"books": 300, "computers": 0}, {"books": 300, "computers": 2})
    assert [row for row, *_ in _run(_check("books / computers <= 100"), {"facilities": frame})] == [3]


def test_and_or_combine_comparisons():
    # holds when computers ≥ classrooms or (books ≥ 100 and classrooms ≤ 2)
    frame = _facilities(
        {"computers": 5, "classrooms": 4, "books": 0},     # row 2: first holds
        {"computers": 1, "classrooms": 2, "books": 100},   # row 3: second holds
        {"computers": 1, "classrooms": 3, "books": 100},   # row 4: classrooms 3 > 2: broken
        {"computers": 1, "classrooms": 2, "books": 99},    # row 5: books < 100: broken
    )
    checks = _check("computers >= classrooms or books >= 100 and classrooms <= 2")
    assert [row for row, *_ in _run(checks, {"facilities": frame})] == [4, 5]


# --- across a school's tables ---------------------------------------------------------------------


def test_another_table_is_matched_by_stage_when_both_have_one():
    staff = staged("staff", [
        {"school_code": A, "stage": "primary", "teachers": 3},   # row 2: 3 < 4 classes: broken
        {"school_code": A, "stage": "junior", "teachers": 3},    # row 3: 3 ≥ 2 classes
        {"school_code": B, "stage": "primary", "teachers": 3},   # row 4: no enrollment row: not judged
    ])
    enrollment = staged("enrollment", [
        {"school_code": A, "stage": "primary", "classes": 4},
        {"school_code": A, "stage": "junior", "classes": 2},
    ])
    checks = _check("teachers >= enrollment.classes", table="staff", message_en="{enrollment.classes} classes but only {teachers} teachers")
    issues = check_issues(checks, {"staff": staff, "enrollment": enrollment}, headers("staff", {"teachers": "D"}), RULES)
    assert issues.select("source_row", "cell", "value", "message_en").rows() == [(2, "D2", "3", "4 classes but only 3 teachers")]


def test_another_table_is_summed_over_the_school_rows_when_one_has_no_stage():
    # classrooms per school against the classes of all its stages: A 5 + 4 = 9 classes in 8 classrooms (broken),
    # B 3 classes in 3 classrooms, C's classes unknown in one stage (missing is not zero: not judged)
    facilities = staged("facilities", [{"school_code": A, "classrooms": 8}, {"school_code": B, "classrooms": 3}, {"school_code": C, "classrooms": 1}])
    enrollment = staged("enrollment", [
        {"school_code": A, "stage": "primary", "classes": 5},
        {"school_code": A, "stage": "junior", "classes": 4},
        {"school_code": B, "stage": "primary", "classes": 3},
        {"school_code": C, "stage": "primary", "classes": 2},
        {"school_code": C, "stage": "junior", "classes": None},
    ])
    checks = _check("classrooms >= enrollment.classes", message_zh="{enrollment.classes} 个班，{classrooms} 间教室")
    issues = check_issues(checks, {"facilities": facilities, "enrollment": enrollment}, headers("facilities", {}), RULES)
    assert issues.select("source_row", "value", "message_zh").rows() == [(2, "8.0", "9 个班，8.0 间教室")]


def test_filters_take_the_rows_of_the_schools_they_name():
    schools = staged("schools", [
        {"school_code": A, "school_type_code": "111", "urban_rural_code": "111", "ownership": "public"},
        {"school_code": B, "school_type_code": "211", "urban_rural_code": "220", "ownership": "public"},
        {"school_code": C, "school_type_code": "211", "urban_rural_code": "111", "ownership": "private"},
    ])
    facilities = staged("facilities", [{"school_code": code, "computers": 0} for code in (A, B, C)])
    tables = {"schools": schools, "facilities": facilities}
    assert [r for r, *_ in _run(_check("computers >= 1"), tables)] == [2, 3, 4]
    assert [r for r, *_ in _run(_check("computers >= 1", school_types=["primary_and_secondary"]), tables)] == [3, 4]
    assert [r for r, *_ in _run(_check("computers >= 1", school_types=["111"]), tables)] == [2]
    assert [r for r, *_ in _run(_check("computers >= 1", areas=["urban"]), tables)] == [2, 4]
    assert [r for r, *_ in _run(_check("computers >= 1", ownership=["private"]), tables)] == [4]
    assert [r for r, *_ in _run(_check("computers >= 1", school_types=["211"], areas=["rural"]), tables)] == [3]


def test_a_stage_filter_and_the_stage_placeholders():
    staff = staged("staff", [{"school_code": A, "stage": "primary", "teachers": 0}, {"school_code": A, "stage": "junior", "teachers": 0}])
    checks = _check("teachers >= 1", table="staff", stages=["junior"], message_zh="{stage_zh}：{column_zh} {value}", message_en="{stage}: {column} {value}")
    issues = check_issues(checks, {"staff": staff}, headers("staff", {}), RULES)
    assert issues.select("source_row", "message_zh", "message_en").rows() == [(3, "初中：专任教师数 0", "junior: teachers 0")]


def test_a_computed_placeholder_is_shown_to_one_decimal_and_a_column_as_it_is():
    # 10 / 3 = 3.333… → 3.3; budget 1000.25 shown as written
    funding = staged("funding", [{"school_code": A, "stage": "primary", "budget_10k_yuan": 1000.25, "public_funds_10k_yuan": 1200.0}])
    enrollment = staged("enrollment", [{"school_code": A, "stage": "primary", "students": 10, "classes": 3}])
    checks = _check(
        "public_funds_10k_yuan <= budget_10k_yuan", table="funding",
        message_en="{budget_10k_yuan}, {enrollment.students / enrollment.classes}, {enrollment.students + 1}",
    )
    issues = check_issues(checks, {"funding": funding, "enrollment": enrollment}, headers("funding", {}), RULES)
    assert issues["message_en"].to_list() == ["1000.25, 3.3, 11"]


def test_severity_and_an_absent_table_give_no_issue_or_the_right_one():
    frame = _facilities({"computers": 0})
    warning = _check("computers >= 1", severity="warning")
    assert check_issues(warning, {"facilities": frame}, headers("facilities", {}), RULES)["severity"].to_list() == ["warning"]
    assert check_issues(warning, {}, headers("facilities", {}), RULES).height == 0
    # the other table absent: nothing to compare with, nothing judged
    assert _run(_check("computers >= enrollment.students"), {"facilities": frame}) == []
