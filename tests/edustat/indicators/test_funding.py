"""Funding indicators: total budget, budget per student, public funds per stage and in total."""

from indicator_builders import COUNTY_B, PREFECTURE, enrol, funding, rolled_up, school, staged, triple


def _data():
    return staged(
        schools=[school("F1", type_code="312"), school("F2"), school("F3", type_code="342")],
        enrollment=[
            enrol("F1", "primary", 500),
            enrol("F1", "junior", 250),
            enrol("F2", "primary", 500),
            enrol("F3", "senior", 100),  # pupils without a funding row
        ],
        funding=[
            funding("F1", "primary", budget=300.0, public_funds=50.0),
            funding("F1", "junior", budget=200.0, public_funds=40.0),
            funding("F2", "primary", budget=100.0, public_funds=10.0),
        ],
    )


def test_budget_total_sums_every_stage():
    values = rolled_up(_data())
    assert triple(values, "budget_total_10k_yuan") == (600.0, 600.0, None)  # 300 + 200 + 100
    assert triple(values, "budget_total_10k_yuan", PREFECTURE) == (600.0, 600.0, None)
    assert triple(values, "budget_total_10k_yuan", COUNTY_B) == (0.0, 0.0, None)


def test_budget_per_student_is_yuan_per_pupil_of_the_stage():
    values = rolled_up(_data())
    # 10000 × (300 + 100) / (500 + 500) = 4000 元
    assert triple(values, "budget_per_student_primary") == (4000.0, 400.0, 1000.0)
    # 10000 × 200 / 250 = 8000 元
    assert triple(values, "budget_per_student_junior") == (8000.0, 200.0, 250.0)
    # pupils but no money: 0 元, not NULL
    assert triple(values, "budget_per_student_senior") == (0.0, 0.0, 100.0)
    assert triple(values, "budget_per_student_vocational") == (None, 0.0, 0.0)


def test_public_funds_per_stage_and_total():
    values = rolled_up(_data())
    assert triple(values, "public_funds_primary_10k_yuan") == (60.0, 60.0, None)  # 50 + 10
    assert triple(values, "public_funds_junior_10k_yuan") == (40.0, 40.0, None)
    assert triple(values, "public_funds_senior_10k_yuan") == (0.0, 0.0, None)
    assert triple(values, "public_funds_total_10k_yuan") == (100.0, 100.0, None)  # 50 + 40 + 10
