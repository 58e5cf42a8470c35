"""Senior-stage indicators: gross enrolment rate, vocational share of entrants."""

import pytest
from indicator_builders import COUNTY_A, COUNTY_B, enrol, population, rolled_up, school, staged, triple


def _data():
    return staged(
        schools=[school("S1", type_code="342"), school("V1", type_code="361"), school("J1", type_code="341")],
        enrollment=[
            enrol("S1", "senior", 300, entrants=100),
            enrol("V1", "vocational", 200, entrants=80),
            enrol("J1", "junior", 500, entrants=150),
            enrol("J1", "senior", 100, entrants=40),
        ],
        population=[population(COUNTY_A, age_15_17=800), population(COUNTY_B, age_15_17=400)],
    )


def test_senior_ger_is_senior_and_vocational_students_over_age_15_17():
    values = rolled_up(_data())
    # 300 + 200 + 100 = 600 (J1's junior pupils excluded) → 100 × 600 / 800 = 75
    assert triple(values, "senior_ger") == (75.0, 600.0, 800.0)
    # county B has people aged 15–17 but no pupils: 0 %, not NULL
    assert triple(values, "senior_ger", COUNTY_B) == (0.0, 0.0, 400.0)


def test_vocational_entrant_share_is_vocational_over_senior_stage_entrants():
    values = rolled_up(_data())
    # 80 / (100 + 80 + 40) = 80 / 220 → 36.3636…
    assert triple(values, "vocational_entrant_share") == (pytest.approx(36.363636, abs=1e-9), 80.0, 220.0)
    assert triple(values, "vocational_entrant_share", COUNTY_B) == (None, 0.0, 0.0)
