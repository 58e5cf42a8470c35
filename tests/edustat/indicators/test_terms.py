"""The term compiler: each key of a catalogue term on tiny frames, against sums worked out by hand.

Every test writes a catalogue of its own (tests/config/catalogue_files.py), computes its values over
the test regions (counties A and B of one prefecture) and compares them with the hand computation in
its comments.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from indicator_builders import COUNTY_A, COUNTY_B, PREFECTURE, enrol, facilities, funding, population, regions, rules, school, security, staff, staged, triple

from config import Catalogue
from edustat.indicators.aggregate import ancestry_frame, roll_up
from edustat.indicators.term_sums import indicator_rows, term_county_sums
from edustat.indicators.terms import compile_terms
from schemas.catalogue import load_catalogue
from schemas.staged import StagedTables
from tests.config.catalogue_files import catalogue_file, entry


def _catalogue(folder: Path, *entries: str) -> Catalogue:
    return load_catalogue(catalogue_file(folder, *entries))


def _values(folder: Path, data: StagedTables, *entries: str) -> pl.DataFrame:
    catalogue = _catalogue(folder, *entries)
    return roll_up(term_county_sums(data, rules(), catalogue), ancestry_frame(regions()), catalogue)


def _count(code: str, numerator: str) -> str:
    return entry(code, numerator, kind="count")


def _sum(code: str, numerator: str) -> str:
    return entry(code, numerator, kind="sum")


SCHOOLS = [
    school("P1", type_code="211", urban_rural="111", ownership="public"),
    school("P2", type_code="211", urban_rural="210", ownership="private", is_inclusive=False),
    school("K1", type_code="111", urban_rural="111", ownership="private", is_inclusive=True),
    school("K2", type_code="111", urban_rural="220", ownership="public"),
    school("K3", type_code="111", urban_rural="121", ownership="private"),  # is_inclusive left empty
    school("N1", type_code="311", urban_rural="111"),  # registry only: no row this year
    school("B1", county=COUNTY_B, type_code="311", urban_rural="122"),
]


def _year() -> StagedTables:
    return staged(
        schools=SCHOOLS,
        enrollment=[
            enrol("P1", "primary", 300, classes=8, classes_56_65=1, classes_66_plus=2),
            enrol("P1", "preschool", 20, classes=1),
            enrol("P2", "primary", 100, classes=3, classes_56_65=1),
            enrol("K1", "preschool", 60, classes=2),
            enrol("K2", "preschool", 40, classes=2),
            enrol("K3", "preschool", 30, classes=1),
            enrol("B1", "junior", 200, classes=5),
        ],
        staff=[staff("P1", "primary", staff=20, teachers=15), staff("P2", "primary", staff=8, teachers=5), staff("B1", "junior", staff=15, teachers=10)],
        security=[
            security("P1", guards=2, has_video=True, has_alarm=True),
            security("P2", guards=0, has_video=True),
            security("K1", guards=1),
            security("K2", guards=3, has_alarm=True),
            security("B1", guards=1, has_video=True),
        ],
        facilities=[facilities("P1", computers=30), facilities("K1", computers=2)],
        population=[population(COUNTY_A, age_3_5=200), population(COUNTY_B, age_3_5=50)],
    )


def test_sum_of_a_column_over_a_table(tmp_path: Path) -> None:
    values = _values(tmp_path, _year(), _sum("pupils", '{ table = "enrollment", sum = "students" }'))
    # A: 300 + 20 + 100 + 60 + 40 + 30 = 550; B: 200; prefecture 750
    assert triple(values, "pupils") == (550.0, 550.0, None)
    assert triple(values, "pupils", COUNTY_B) == (200.0, 200.0, None)
    assert triple(values, "pupils", PREFECTURE) == (750.0, 750.0, None)


def test_sum_of_a_list_of_columns_adds_them(tmp_path: Path) -> None:
    values = _values(tmp_path, _year(), _sum("large", '{ table = "enrollment", sum = ["classes_56_65", "classes_66_plus"] }'))
    # P1 primary 1 + 2, P2 primary 1 + 0; the others 0 → 4
    assert triple(values, "large") == (4.0, 4.0, None)


def test_stages_with_the_entrys_stage(tmp_path: Path) -> None:
    ratio = entry("ptr_{stage}", '{ table = "enrollment", sum = "students", stages = ["{stage}"] }',
                  '{ table = "staff", sum = "teachers", stages = ["{stage}"] }', scale=1, stages='["primary", "junior"]')  # fmt: skip
    values = _values(tmp_path, _year(), ratio)
    # primary A: (300 + 100) / (15 + 5) = 20; junior A: no rows → 0 / 0, no value; junior B: 200 / 10 = 20
    assert triple(values, "ptr_primary") == (20.0, 400.0, 20.0)
    assert triple(values, "ptr_junior") == (None, 0.0, 0.0)
    assert triple(values, "ptr_junior", COUNTY_B) == (20.0, 200.0, 10.0)


@pytest.mark.parametrize(
    ("school_types", "expected"),
    [
        ('["211"]', 420.0),  # P1 300 + 20 (its attached preschool classes too), P2 100
        ('["kindergartens"]', 130.0),  # K1 60 + K2 40 + K3 30
        ('["kindergartens", "211"]', 550.0),
    ],
)
def test_school_types_by_code_or_group(tmp_path: Path, school_types: str, expected: float) -> None:
    values = _values(tmp_path, _year(), _sum("x", f'{{ table = "enrollment", sum = "students", school_types = {school_types} }}'))
    assert triple(values, "x")[0] == expected


@pytest.mark.parametrize(("areas", "expected"), [('["urban"]', 2.0), ('["town"]', 1.0), ('["rural", "town"]', 3.0)])
def test_areas_of_the_schools_urban_rural_code(tmp_path: Path, areas: str, expected: float) -> None:
    # counted schools of A: P1 urban (111), P2 rural (210), K1 urban (111), K2 rural (220), K3 town (121)
    values = _values(tmp_path, _year(), _count("x", f'{{ table = "schools", areas = {areas} }}'))
    assert triple(values, "x")[0] == expected


def test_ownership(tmp_path: Path) -> None:
    values = _values(tmp_path, _year(), _sum("x", '{ table = "enrollment", sum = "students", ownership = "private" }'))
    # private: P2 100, K1 60, K3 30
    assert triple(values, "x")[0] == 190.0


@pytest.mark.parametrize(("flag", "expected"), [("true", 420.0), ("false", 130.0)])
def test_is_inclusive_counts_public_schools_as_inclusive(tmp_path: Path, flag: str, expected: float) -> None:
    values = _values(tmp_path, _year(), _sum("x", f'{{ table = "enrollment", sum = "students", is_inclusive = {flag} }}'))
    # inclusive: public P1 300 + 20, K2 40, private inclusive K1 60 = 420; not: P2 100 and K3 30 (empty answer) = 130
    assert triple(values, "x")[0] == expected


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ('["guards >= 2"]', 2.0),  # P1 2, K2 3
        ('["guards > 0", "guards < 3"]', 2.0),  # P1 2, K1 1
        ('["guards == 0"]', 1.0),  # P2
        ('["guards != 1"]', 3.0),  # P1, P2, K2
        ('["has_video"]', 2.0),  # P1, P2
        ('["not has_alarm"]', 2.0),  # P2, K1
        ('["has_video", "not has_alarm"]', 1.0),  # P2
    ],
)
def test_where_conditions_must_all_hold(tmp_path: Path, where: str, expected: float) -> None:
    values = _values(tmp_path, _year(), _count("x", f'{{ table = "security", where = {where} }}'))
    assert triple(values, "x")[0] == expected


def test_where_a_column_against_the_derived_guard_standard(tmp_path: Path) -> None:
    values = _values(tmp_path, _year(), _count("x", '{ table = "security", where = ["guards >= required_guards"] }'))
    # people = students + staff of every stage: P1 320 + 20 = 340 → 2 required, has 2 ✓; P2 100 + 8 = 108 → 2, has 0;
    # K1 60 → 1, has 1 ✓; K2 40 → 1, has 3 ✓ → 3
    assert triple(values, "x")[0] == 3.0


def test_a_count_without_sum_counts_schools_not_rows(tmp_path: Path) -> None:
    values = _values(
        tmp_path,
        _year(),
        _count("counted", '{ table = "schools" }'),
        _count("with_enrolment", '{ table = "enrollment", stages = ["primary", "preschool"] }'),
    )
    # counted schools of A: P1 P2 K1 K2 K3 (N1 has no row this year) = 5; with a primary or preschool row: the same 5
    # (P1 has two such rows and counts once)
    assert triple(values, "counted") == (5.0, 5.0, None)
    assert triple(values, "with_enrolment") == (5.0, 5.0, None)


def test_a_population_term_is_summed_per_county(tmp_path: Path) -> None:
    ger = entry("ger", '{ table = "enrollment", sum = "students", stages = ["preschool"] }', '{ table = "population", sum = "age_3_5" }')
    data = _year()
    values = _values(tmp_path, data, ger)
    # A: 100 × (20 + 60 + 40 + 30) / 200 = 75; B: no preschool pupils, 50 children → 0; prefecture 100 × 150 / 250 = 60
    assert triple(values, "ger") == (75.0, 150.0, 200.0)
    assert triple(values, "ger", COUNTY_B) == (0.0, 0.0, 50.0)
    assert triple(values, "ger", PREFECTURE) == (60.0, 150.0, 250.0)
    rows = indicator_rows(data, rules(), _catalogue(tmp_path, ger), "ger")
    assert rows is not None
    county_rows = rows.filter(pl.col("school_code").is_null()).sort("county_code").rows()
    assert county_rows == [(COUNTY_A, None, None, 200.0), (COUNTY_B, None, None, 50.0)]


def test_decimals_over_several_rows_of_a_school_are_added_before_rounding(tmp_path: Path) -> None:
    data = staged(
        schools=[school("F1")],
        funding=[funding("F1", "primary", budget=0.0000004), funding("F1", "junior", budget=0.0000004)],
    )
    values = _values(
        tmp_path,
        data,
        _sum("all_stages", '{ table = "funding", sum = "budget_10k_yuan" }'),
        _sum("one_stage", '{ table = "funding", sum = "budget_10k_yuan", stages = ["primary"] }'),
    )
    # The school's 0.0000008 rounds to 0.000001, as its stored contribution does; one stage's 0.0000004 rounds to 0.
    assert triple(values, "all_stages") == (0.000001, 0.000001, None)
    assert triple(values, "one_stage") == (0.0, 0.0, None)


def test_a_term_two_indicators_share_is_computed_once(tmp_path: Path) -> None:
    students = '{ table = "enrollment", sum = "students", stages = ["preschool"] }'
    catalogue = _catalogue(
        tmp_path,
        entry("public_share", '{ table = "enrollment", sum = "students", stages = ["preschool"], ownership = "public" }', students),
        entry("private_share", '{ table = "enrollment", sum = "students", stages = ["preschool"], ownership = "private" }', students),
    )
    plan = compile_terms(catalogue)
    assert len(plan.terms) == 3
    assert plan.indicators[0].denominator == plan.indicators[1].denominator
    assert set(plan.by_table()) == {"enrollment"}


def test_rows_filtered_by_facilities_and_a_number(tmp_path: Path) -> None:
    values = _values(tmp_path, _year(), _count("x", '{ table = "facilities", school_types = ["211"], where = ["computers >= 20"] }'))
    # facilities rows: P1 (211) 30 computers ✓, K1 (111) not of type 211 → 1
    assert triple(values, "x")[0] == 1.0
