"""Teacher indicators: pupil-teacher ratio per stage, Putonghua share, new teachers, training sessions."""

import pytest
from indicator_builders import contribution_rows, enrol, rolled_up, school, staff, staged, triple


def _data():
    return staged(
        schools=[school("P1"), school("P2"), school("P3")],
        enrollment=[
            enrol("P1", "primary", 400),
            enrol("P1", "preschool", 30),
            enrol("P2", "primary", 200),  # no staff row for this stage
        ],
        staff=[
            staff("P1", "primary", staff=25, teachers=20, putonghua_qualified=18, new_teachers=2, training_sessions=30),
            staff("P1", "preschool", staff=4, teachers=3, putonghua_qualified=3, training_sessions=5),
            staff("P3", "primary", staff=12, teachers=10, putonghua_qualified=9, new_teachers=1),  # no pupils
        ],
    )


def test_pupil_teacher_ratio_takes_both_sides_of_every_school():
    values = rolled_up(_data())
    # students 400 + 200 + 0 = 600; teachers 20 + 0 + 10 = 30 → 20
    assert triple(values, "pupil_teacher_ratio_primary") == (20.0, 600.0, 30.0)
    # 30 / 3
    assert triple(values, "pupil_teacher_ratio_preschool") == (10.0, 30.0, 3.0)
    assert triple(values, "pupil_teacher_ratio_senior") == (None, 0.0, 0.0)


def test_pupil_teacher_ratio_drill_down_keeps_one_sided_schools():
    rows = contribution_rows(_data(), "pupil_teacher_ratio_primary")
    assert rows.select("school_code", "numerator", "denominator").rows() == [
        ("P1", 400.0, 20.0),
        ("P2", 200.0, 0.0),
        ("P3", 0.0, 10.0),
    ]


def test_putonghua_teacher_share_over_all_stages():
    values = rolled_up(_data())
    # (18 + 3 + 9) / (20 + 3 + 10) = 30 / 33 → 90.9090…
    assert triple(values, "putonghua_teacher_share") == (pytest.approx(90.909091, abs=1e-9), 30.0, 33.0)


def test_new_teachers_and_training_sessions_are_sums():
    values = rolled_up(_data())
    assert triple(values, "new_teachers") == (3.0, 3.0, None)  # 2 + 0 + 1
    assert triple(values, "teacher_training_sessions") == (35.0, 35.0, None)  # 30 + 5 + 0
