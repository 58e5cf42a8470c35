"""Safety indicators: guard rates, guard standard (公治〔2015〕168号), closed campus, video, alarms."""

import polars as pl
import pytest
from indicator_builders import contribution_rows, enrol, rolled_up, rules, school, security, staff, staged, triple

from edustat.indicators.derived import required_guards


def _data():
    return staged(
        schools=[
            school("S1", type_code="211"),
            school("S2", type_code="311"),
            school("S3", type_code="312"),  # enrollment only: counted with 0 guards, no video, …
            school("S4", type_code="341"),  # registry only: not one of the year's schools
            school("T1", type_code="218"),
            school("T2", type_code="218"),
            school("K1", type_code="111", urban_rural="111"),
            school("K2", type_code="111", urban_rural="112"),
            school("K3", type_code="111", urban_rural="121"),
            school("K4", type_code="111", urban_rural="210"),
        ],
        enrollment=[enrol("S3", "primary", 100)],
        security=[
            security("S1", guards=2, has_video=True, is_closed_campus=True),
            security("S2", guards=0, has_video=True),
            security("T1", guards=1, is_closed_campus=True),
            security("T2", guards=0),
            security("K1", guards=1, has_alarm=True, is_closed_campus=True),
            security("K2", guards=0, has_alarm=False),
            security("K3", guards=1),
            security("K4", guards=0),
        ],
    )


def test_guard_rate_schools_counts_a_school_without_security_row_as_unguarded():
    values = rolled_up(_data())
    # S1 guarded; S2 0 guards; S3 no security row → 0 guards; S4 not counted → 1 / 3
    assert triple(values, "guard_rate_schools") == (pytest.approx(33.333333, abs=1e-9), 1.0, 3.0)
    rows = contribution_rows(_data(), "guard_rate_schools")
    assert rows.select("school_code", "numerator").rows() == [("S1", 1.0), ("S2", 0.0), ("S3", 0.0)]


def test_guard_rate_kindergartens_by_area():
    values = rolled_up(_data())
    # urban: K1 (111) guarded, K2 (112) not → 1 / 2; town: K3 → 1 / 1; rural: K4 → 0 / 1
    assert triple(values, "guard_rate_kindergartens_urban") == (50.0, 1.0, 2.0)
    assert triple(values, "guard_rate_kindergartens_town") == (100.0, 1.0, 1.0)
    assert triple(values, "guard_rate_kindergartens_rural") == (0.0, 0.0, 1.0)


def test_guard_rate_teaching_points():
    assert triple(rolled_up(_data()), "guard_rate_teaching_points") == (50.0, 1.0, 2.0)  # T1 of T1, T2


def test_closed_campus_video_and_alarm_rates():
    values = rolled_up(_data())
    # all schools: S1 S2 S3 T1 T2 K1 K2 K3 K4 = 9; closed: S1 T1 K1 = 3; video: S1 S2 = 2
    assert triple(values, "closed_campus_rate") == (pytest.approx(33.333333, abs=1e-9), 3.0, 9.0)
    assert triple(values, "video_rate") == (pytest.approx(22.222222, abs=1e-9), 2.0, 9.0)
    # urban kindergartens K1 (alarm) and K2 (none) → 1 / 2
    assert triple(values, "alarm_rate_kindergartens_urban") == (50.0, 1.0, 2.0)


@pytest.mark.parametrize(
    ("people", "guards"),
    [
        (0, 1),
        (99, 1),  # < 100 → 1
        (100, 2),  # 100 … 1000 → 2
        (1000, 2),
        (1001, 3),  # 2 + ⌈1 / 500⌉
        (1500, 3),  # 2 + ⌈500 / 500⌉
        (1501, 4),  # 2 + ⌈501 / 500⌉
        (2001, 5),  # 2 + ⌈1001 / 500⌉
    ],
)
def test_required_guards_at_the_boundaries(people, guards):
    frame = pl.DataFrame({"n": [people]}, schema={"n": pl.Int64})
    result = frame.select(required_guards(pl.col("n"), rules().guard_standard).alias("g"))
    assert result.item() == guards


def test_guard_standard_rate_uses_students_and_staff_of_all_stages():
    data = staged(
        schools=[school("G1"), school("G2", type_code="312"), school("G3"), school("G4")],
        enrollment=[
            enrol("G1", "primary", 80),
            enrol("G2", "primary", 500),
            enrol("G2", "junior", 450),
            enrol("G3", "primary", 1400),
            enrol("G4", "primary", 50),
        ],
        staff=[
            staff("G1", "primary", staff=10),  # n = 90 → 1 required
            staff("G2", "primary", staff=30),
            staff("G2", "junior", staff=21),  # n = 500 + 450 + 30 + 21 = 1001 → 3 required
            staff("G3", "primary", staff=100),  # n = 1500 → 3 required
        ],
        security=[security("G1", guards=1), security("G2", guards=2), security("G3", guards=3)],
        # G4: n = 50 → 1 required, no security row → 0 guards
    )
    # G1 meets, G2 fails (2 < 3), G3 meets, G4 fails → 2 / 4
    assert triple(rolled_up(data), "guard_standard_rate") == (50.0, 2.0, 4.0)
