"""compute_indicators end to end, and the catalogue coverage check."""

import polars as pl
import pytest
from indicator_builders import COUNTY_A, COUNTY_B, PREFECTURE, PROVINCE, catalogue, enrol, funding, regions, rules, school, security, staff, staged, triple
from polars.testing import assert_frame_equal

from config import Indicator
from edustat.indicators import VALUE_SCHEMA, CatalogueCoverageError, check_catalogue_coverage, compute_indicators, implemented_codes
from schemas.staged import StagedTables


def _year(budget_a: float, budget_b: float):
    return staged(
        schools=[school("A1", county=COUNTY_A), school("B1", county=COUNTY_B, type_code="111")],
        enrollment=[enrol("A1", "primary", 100), enrol("B1", "preschool", 50)],
        staff=[staff("A1", "primary", staff=8, teachers=5)],
        security=[security("B1", guards=1)],
        funding=[funding("A1", "primary", budget=budget_a), funding("B1", "preschool", budget=budget_b)],
    )


def test_values_hold_every_catalogue_code_at_the_right_levels():
    result = compute_indicators(_year(10.0, 5.0), regions(), rules(), catalogue())
    codes = set(catalogue().codes())
    balance_codes = set(catalogue().codes("balance"))
    assert result.values.schema == pl.Schema(VALUE_SCHEMA)
    for county in (COUNTY_A, COUNTY_B):
        assert set(result.values.filter(pl.col("region_code") == county)["indicator_code"]) == codes
    for region in (PREFECTURE, PROVINCE):
        assert set(result.values.filter(pl.col("region_code") == region)["indicator_code"]) == codes - balance_codes
    assert result.values.select("region_code", "indicator_code").is_duplicated().sum() == 0
    # A1: 100 pupils / 5 teachers = 20; B1 adds no primary rows → the prefecture's Σ/Σ is 20 as well
    assert triple(result.values, "pupil_teacher_ratio_primary", PREFECTURE) == (20.0, 100.0, 5.0)
    # balance: A1 takes part with 0 above-degree teachers → X̄ = 0 → CV NULL
    assert triple(result.values, "balance_cv_teachers_above_degree_per_100_students_primary") == (None, 0.0, 0.0)


def test_growth_reads_the_previous_years_values():
    last_year = compute_indicators(_year(8.0, 2.0), regions(), rules(), catalogue()).values
    this_year = compute_indicators(_year(10.0, 5.0), regions(), rules(), catalogue(), previous_values=last_year).values
    # prefecture: (10 + 5) / (8 + 2) − 1 = 0.5 → 50 %; county A: 10 / 8 − 1 = 25 %
    assert triple(this_year, "budget_total_growth", PREFECTURE) == (50.0, 15.0, 10.0)
    assert triple(this_year, "budget_total_growth", COUNTY_A) == (25.0, 10.0, 8.0)
    first_year = compute_indicators(_year(10.0, 5.0), regions(), rules(), catalogue()).values
    assert triple(first_year, "budget_total_growth", PREFECTURE) == (None, 15.0, None)


def test_two_runs_give_identical_frames():
    first = compute_indicators(_year(10.1, 5.3), regions(), rules(), catalogue())
    second = compute_indicators(_year(10.1, 5.3), regions(), rules(), catalogue())
    assert_frame_equal(first.values, second.values, check_exact=True)


def test_values_do_not_depend_on_the_order_of_input_rows():
    data = _year(10.1, 5.3)
    shuffled = StagedTables(**{name: frame.reverse() for name, frame in data.items()})
    first = compute_indicators(data, regions(), rules(), catalogue()).values
    second = compute_indicators(shuffled, regions(), rules(), catalogue()).values
    assert_frame_equal(first, second, check_exact=True)


def test_implementation_covers_the_catalogue_exactly():
    check_catalogue_coverage(catalogue(), implemented_codes(rules(), catalogue()))


def test_coverage_check_names_missing_extra_and_wrongly_kinded_codes():
    produced = dict(implemented_codes(rules(), catalogue()))
    missing = {code: kind for code, kind in produced.items() if code != "video_rate"}
    with pytest.raises(CatalogueCoverageError, match="video_rate"):
        check_catalogue_coverage(catalogue(), missing)
    with pytest.raises(CatalogueCoverageError, match="made_up_rate"):
        check_catalogue_coverage(catalogue(), produced | {"made_up_rate": "ratio"})
    with pytest.raises(CatalogueCoverageError, match="new_teachers"):
        check_catalogue_coverage(catalogue(), produced | {"new_teachers": "ratio"})
    # plain code lists are checked without kinds
    check_catalogue_coverage(catalogue(), list(produced))


def test_compute_fails_fast_when_the_catalogue_lists_an_unimplemented_code():
    # A ratio without terms (only a model built past the catalogue's checks can have one): nobody computes it.
    extra = catalogue().by_code()["video_rate"].model_copy(update={"code": "audio_rate", "numerator": None, "denominator": None})
    drifted = catalogue().model_copy(update={"indicators": (*catalogue().indicators, Indicator(**extra.model_dump()))})
    with pytest.raises(CatalogueCoverageError, match="audio_rate"):
        compute_indicators(_year(1.0, 1.0), regions(), rules(), drifted)
