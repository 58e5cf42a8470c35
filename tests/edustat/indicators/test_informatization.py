"""Informatization indicators: schools with a multimedia classroom, 班班通 share."""

import pytest
from indicator_builders import enrol, facilities, rolled_up, school, staged, triple


def _data():
    return staged(
        schools=[
            school("M1", type_code="211"),
            school("M2", type_code="218"),
            school("M3", type_code="311"),  # no facilities row
            school("M4", type_code="111"),  # kindergarten: outside the group
            school("M5", type_code="361"),  # vocational: outside the group
        ],
        enrollment=[enrol("M3", "junior", 100)],
        facilities=[
            facilities("M1", classrooms=10, multimedia_classrooms=10),
            facilities("M2", classrooms=4, multimedia_classrooms=0),
            facilities("M4", classrooms=5, multimedia_classrooms=5),
            facilities("M5", classrooms=20, multimedia_classrooms=20),
        ],
    )


def test_multimedia_school_rate_counts_primary_secondary_and_teaching_points():
    # M1 has one; M2 none; M3 no row → none → 1 / 3
    assert triple(rolled_up(_data()), "multimedia_school_rate") == (pytest.approx(33.333333, abs=1e-9), 1.0, 3.0)


def test_multimedia_classroom_share_is_sum_over_sum():
    # (10 + 0 + 0) / (10 + 4 + 0) = 10 / 14 → 71.428571…
    assert triple(rolled_up(_data()), "multimedia_classroom_share") == (
        pytest.approx(71.428571, abs=1e-9),
        10.0,
        14.0,
    )
