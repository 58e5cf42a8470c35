"""Growth indicators against the previous year's values."""

import polars as pl
import pytest
from indicator_builders import COUNTY_A, PREFECTURE, catalogue, triple

from edustat.indicators.growth import growth
from edustat.indicators.value_frame import VALUE_SCHEMA

GROWTH_CODES = [i.code for i in catalogue().indicators if i.kind == "growth"]


def _values(rows):
    return pl.DataFrame(
        [(region, level, code, value, None, None) for region, level, code, value in rows],
        schema=VALUE_SCHEMA,
        orient="row",
    )


CURRENT = _values(
    [
        (PREFECTURE, "prefecture", "budget_total_10k_yuan", 115.81),
        (COUNTY_A, "county", "budget_total_10k_yuan", 50.0),
        (PREFECTURE, "prefecture", "budget_per_student_primary", 11092.0),
        (COUNTY_A, "county", "budget_per_student_primary", 8000.0),
    ]
)


def test_growth_against_the_previous_year():
    previous = _values(
        [
            (PREFECTURE, "prefecture", "budget_total_10k_yuan", 100.0),
            (COUNTY_A, "county", "budget_total_10k_yuan", 0.0),
            (PREFECTURE, "prefecture", "budget_per_student_primary", 10000.0),
            # county A has no primary row last year
        ]
    )
    values = growth(CURRENT, previous, catalogue())
    # 100 × (115.81 / 100 − 1) = 15.81
    assert triple(values, "budget_total_growth", PREFECTURE) == (pytest.approx(15.81, abs=1e-9), 115.81, 100.0)
    # 100 × (11092 / 10000 − 1) = 10.92
    assert triple(values, "budget_per_student_primary_growth", PREFECTURE) == (
        pytest.approx(10.92, abs=1e-9),
        11092.0,
        10000.0,
    )
    # previous value 0 → NULL; previous row missing → NULL
    assert triple(values, "budget_total_growth", COUNTY_A) == (None, 50.0, 0.0)
    assert triple(values, "budget_per_student_primary_growth", COUNTY_A) == (None, 8000.0, None)


@pytest.mark.parametrize("previous", [None, pl.DataFrame(schema=VALUE_SCHEMA)])
def test_growth_without_previous_year_is_null(previous):
    values = growth(CURRENT, previous, catalogue())
    assert triple(values, "budget_total_growth", PREFECTURE) == (None, 115.81, None)
    # one row per region of the current frame per growth code; a base missing this year gives NULL too
    assert values.height == 2 * len(GROWTH_CODES)
    assert triple(values, "budget_per_student_senior_growth", COUNTY_A) == (None, None, None)
