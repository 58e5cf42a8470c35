"""Class-size indicators: large-class share and super-large classes, primary and junior only."""

import pytest
from indicator_builders import COUNTY_B, enrol, rolled_up, school, staged, triple


def _data():
    return staged(
        schools=[school("A1", type_code="211"), school("A2", type_code="312"), school("A3", type_code="341")],
        enrollment=[
            enrol("A1", "primary", 800, classes=20, classes_56_65=2, classes_66_plus=1),
            enrol("A2", "primary", 400, classes=10),
            enrol("A2", "junior", 500, classes=10, classes_56_65=1, classes_66_plus=2),
            # attached preschool classes and senior classes are outside both indicators
            enrol("A2", "preschool", 300, classes=5, classes_56_65=5),
            enrol("A3", "senior", 600, classes=10, classes_66_plus=5),
        ],
    )


def test_large_class_share_counts_56_plus_classes_of_primary_and_junior():
    values = rolled_up(_data())
    # large: (2 + 1) + (0 + 0) + (1 + 2) = 6; classes 20 + 10 + 10 = 40 → 100 × 6 / 40 = 15
    assert triple(values, "large_class_share") == (15.0, 6.0, 40.0)
    assert triple(values, "large_class_share", COUNTY_B) == (None, 0.0, 0.0)


def test_super_large_classes_sums_66_plus_classes():
    values = rolled_up(_data())
    # 1 (A1 primary) + 2 (A2 junior); A3's senior classes do not count
    assert triple(values, "super_large_classes") == (pytest.approx(3.0), 3.0, None)
    assert triple(values, "super_large_classes", COUNTY_B) == (0.0, 0.0, None)
