"""Preschool indicators: gross enrolment, public share, inclusive coverage, inclusive private kindergartens."""

import polars as pl
import pytest
from indicator_builders import (
    COUNTY_A,
    COUNTY_B,
    PREFECTURE,
    contribution_rows,
    enrol,
    population,
    rolled_up,
    school,
    staged,
    triple,
)
from polars.testing import assert_frame_equal


def _data():
    return staged(
        schools=[
            school("K1", type_code="111", ownership="public"),
            school("K2", type_code="111", ownership="private", is_inclusive=True),
            school("K3", type_code="111", ownership="private", is_inclusive=False),
            school("P1", type_code="211", ownership="public"),
            # private inclusive kindergarten without any data row: not one of the year's schools
            school("K4", type_code="111", ownership="private", is_inclusive=True),
            # private "inclusive" primary school: wrong type for the kindergarten count
            school("P2", type_code="211", ownership="private", is_inclusive=True),
        ],
        enrollment=[
            enrol("K1", "preschool", 100),
            enrol("K2", "preschool", 60),
            enrol("K3", "preschool", 40),
            enrol("P1", "preschool", 20),
            enrol("P1", "primary", 500),
            enrol("P2", "primary", 10),
        ],
        population=[population(COUNTY_A, age_3_5=300)],
    )


def test_preschool_ger_is_preschool_students_over_age_3_5():
    values = rolled_up(_data())
    # 100 + 60 + 40 + 20 = 220 preschool pupils (P1's attached classes included); 100 × 220 / 300
    assert triple(values, "preschool_ger") == (pytest.approx(73.333333, abs=1e-9), 220.0, 300.0)
    assert triple(values, "preschool_ger", PREFECTURE) == (pytest.approx(73.333333, abs=1e-9), 220.0, 300.0)
    # county B has neither pupils nor a population row: 0 / 0 → NULL
    assert triple(values, "preschool_ger", COUNTY_B) == (None, 0.0, 0.0)


def test_preschool_public_share_counts_public_schools_of_any_type():
    values = rolled_up(_data())
    # public: K1 100 + P1 20 = 120 of 220 → 100 × 120 / 220 = 54.5454545…
    assert triple(values, "preschool_public_share") == (pytest.approx(54.545455, abs=1e-9), 120.0, 220.0)


def test_preschool_public_share_drill_down_has_one_row_per_school():
    rows = contribution_rows(_data(), "preschool_public_share")
    expected = pl.DataFrame(
        {
            "county_code": [COUNTY_A] * 4,
            "school_code": ["K1", "K2", "K3", "P1"],
            "indicator_code": ["preschool_public_share"] * 4,
            "numerator": [100.0, 0.0, 0.0, 20.0],
            "denominator": [100.0, 60.0, 40.0, 20.0],
        }
    )
    assert_frame_equal(rows, expected)


def test_preschool_inclusive_coverage_is_public_or_inclusive_private():
    values = rolled_up(_data())
    # K1 100 + K2 60 + P1 20 = 180 of 220 (K3 is private and not inclusive) → 81.818181…
    assert triple(values, "preschool_inclusive_coverage") == (pytest.approx(81.818182, abs=1e-9), 180.0, 220.0)


def test_inclusive_private_kindergartens_counts_only_this_years_private_inclusive_111():
    values = rolled_up(_data())
    # K2 only: K3 not inclusive, K1 public, K4 has no row this year, P2 is type 211
    assert triple(values, "inclusive_private_kindergartens") == (1.0, 1.0, None)
    # a count over no schools is 0, not NULL
    assert triple(values, "inclusive_private_kindergartens", COUNTY_B) == (0.0, 0.0, None)
