"""edustat.indicators.trace: the schools behind a value, and that they add up to it."""

import polars as pl
import pytest
from indicator_builders import COUNTY_A, COUNTY_B, catalogue, enrol, facilities, funding, population, rules, school, security, staff, staged
from polars.testing import assert_frame_equal

from edustat.indicators import compute_indicators
from edustat.indicators.trace import NotTraceable, totals, trace, with_names
from indicator_builders import regions, triple


def _year():
    return staged(
        schools=[
            school("A1", county=COUNTY_A),
            school("A2", county=COUNTY_A, type_code="311"),
            school("B1", county=COUNTY_B, type_code="111", urban_rural="210"),
        ],
        enrollment=[enrol("A1", "primary", 100, classes=2), enrol("A2", "junior", 300, classes=5), enrol("B1", "preschool", 50, classes=2)],
        staff=[staff("A1", "primary", staff=8, teachers=5), staff("A2", "junior", staff=20, teachers=15)],
        security=[security("A1", guards=2), security("B1", guards=0)],
        funding=[funding("A1", "primary", budget=10.0), funding("B1", "preschool", budget=5.0)],
        population=[population(COUNTY_A, age_3_5=40), population(COUNTY_B, age_3_5=60)],
    )


def test_ratio_rows_name_each_school_and_add_up_to_the_value() -> None:
    traced = trace(_year(), rules(), catalogue(), "guard_rate_schools")
    # guard_rate_schools counts types 211 … 345 with ≥ 1 guard: A1 has 2 guards, A2 has no security row → 0; B1 is a kindergarten.
    expected = pl.DataFrame(
        {"county_code": [COUNTY_A, COUNTY_A], "school_code": ["A1", "A2"], "numerator": [1.0, 0.0], "denominator": [1.0, 1.0]}
    )
    assert_frame_equal(traced.rows, expected)
    assert totals(traced) == {"numerator": 1.0, "denominator": 2.0}
    values = compute_indicators(_year(), regions(), rules(), catalogue()).values
    assert triple(values, "guard_rate_schools", COUNTY_A) == (50.0, 1.0, 2.0)


def test_a_county_wide_term_has_no_school() -> None:
    traced = trace(_year(), rules(), catalogue(), "preschool_ger")
    # numerator: B1's 50 preschool children; denominators: each county's age_3_5.
    rows = traced.rows.select("county_code", "school_code", "numerator", "denominator").rows()
    assert sorted(rows, key=lambda r: (r[0], r[1] or "")) == [(COUNTY_A, None, None, 40.0), (COUNTY_B, None, None, 60.0), (COUNTY_B, "B1", 50.0, None)]
    assert totals(traced) == {"numerator": 50.0, "denominator": 100.0}


def test_names_come_from_the_registry_and_the_regions() -> None:
    data = _year()
    traced = trace(data, rules(), catalogue(), "budget_total_10k_yuan")
    named = with_names(traced.rows, data, {COUNTY_A: "临夏市", COUNTY_B: "临夏县"})
    assert named.columns[:7] == ["county_code", "county_name", "school_code", "school_name", "school_type_code", "urban_rural_code", "ownership"]
    assert named.select("county_name", "school_name", "numerator").rows() == [("临夏市", "school A1", 10.0), ("临夏县", "school B1", 5.0)]


def test_a_balance_cv_lists_students_and_measure_and_recomputes_the_cv() -> None:
    data = staged(
        schools=[school("A1"), school("A2")],
        enrollment=[enrol("A1", "primary", 100, classes=2), enrol("A2", "primary", 300, classes=6)],
        facilities=[facilities("A1", sports_area_m2=1000.0), facilities("A2", sports_area_m2=1800.0)],
        population=[population(COUNTY_A)],
    )
    traced = trace(data, rules(), catalogue(), "balance_cv_sports_area_per_student_primary")
    # X = area / students: A1 1000/100 = 10, A2 1800/300 = 6; weights 100 and 300.
    assert traced.rows.select("school_code", "students", "value").rows() == [("A1", 100, 10.0), ("A2", 300, 6.0)]
    # X̄ = (100·10 + 300·6) / 400 = 7; S = √(0.25·9 + 0.75·1) = √3; CV = √3 / 7.
    found = totals(traced)
    assert found["denominator"] == 7.0
    assert found["numerator"] == round(3**0.5, 6)
    assert found["value"] == round(3**0.5 / 7, 6)
    values = compute_indicators(data, regions(), rules(), catalogue()).values
    assert triple(values, "balance_cv_sports_area_per_student_primary", COUNTY_A) == (found["value"], found["numerator"], found["denominator"])


@pytest.mark.parametrize("code", ["budget_total_growth", "balance_cv_pass_primary", "no_such_code"])
def test_values_not_made_of_school_rows_are_refused(code: str) -> None:
    with pytest.raises(NotTraceable):
        trace(_year(), rules(), catalogue(), code)
