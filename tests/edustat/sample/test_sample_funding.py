"""Money helpers: the solved budgets of one unit and the public-funds cap."""

from __future__ import annotations

import random

from edustat.sample.funding import calibrated_budgets, cap_to_budget

STAGES = ["preschool", "primary", "junior", "senior", "vocational", "higher_vocational"]


def test_cap_moves_the_excess_to_the_row_with_most_room():
    # Row 0 holds 5 of a budget of 3: 2 too many; row 1 has the most room (4 − 1 = 3) and takes both.
    assert cap_to_budget([5, 1, 3], [3, 4, 3]) == [3, 3, 3]
    assert cap_to_budget([1, 1], [2, 2]) == [1, 1]


def test_calibrated_budgets_grow_by_the_report_figures():
    students = dict.fromkeys(STAGES, 1000)
    b19, b20 = calibrated_budgets(students, students, random.Random(0))
    # With the same students both years, a stage's budget grows like its budget per student:
    # preschool 13.12%, senior −2.77%; the total grows by 15.81%.
    assert round(100 * (b20["preschool"] / b19["preschool"] - 1), 2) == 13.12
    assert round(100 * (b20["senior"] / b19["senior"] - 1), 2) == -2.77
    assert round(100 * (sum(b20.values()) / sum(b19.values()) - 1), 2) == 15.81
    assert all(v > 0 for v in b19.values())
