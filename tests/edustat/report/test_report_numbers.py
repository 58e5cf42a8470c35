"""edustat/report/numbers.py: numbers exactly as the report writes them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from edustat.report.numbers import change, gap_below, growth, plain, points, rounded, share_ratio, with_unit


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (95.42, "95.42"),
        (82.0, "82"),  # trailing zeros dropped
        (75208.84, "75208.84"),  # no thousands separator
        (13809.6, "13809.6"),
        (100.0, "100"),  # not 1E+2
        (95.415, "95.42"),  # half away from zero, as the report's authors round
        (-0.001, "0"),  # never "-0"
        (0.0, "0"),
    ],
)
def test_plain_numbers(value: float, expected: str) -> None:
    assert plain(value) == expected


@pytest.mark.parametrize(
    ("value", "unit", "unit_zh", "unit_en", "lang", "expected"),
    [
        (95.42, "percent", "%", "%", "zh", "95.42%"),
        (82.0, "percent", "%", "%", "zh", "82%"),
        (75208.84, "10k_yuan", "万元", "10k yuan", "zh", "75208.84万元"),
        (75208.84, "10k_yuan", "万元", "10k yuan", "en", "75208.84 10k yuan"),
        (15.234, "ratio", ":1", ":1", "zh", "15.23:1"),
        (15.234, "ratio", ":1", ":1", "en", "15.23:1"),
        (0.4537, "coefficient", "", "", "zh", "0.454"),  # three decimals: 0.4537 must not read as the 0.45 limit
        (1.0, "flag", "", "", "zh", "是"),
        (0.0, "flag", "", "", "en", "no"),
        (164.0, "count", "个", "", "en", "164"),
    ],
)
def test_values_with_their_unit(value: float, unit: str, unit_zh: str, unit_en: str, lang: str, expected: str) -> None:
    assert with_unit(value, unit, unit_zh, unit_en, lang) == expected


def test_growth_in_words() -> None:
    assert growth(15.81, "zh") == "增长15.81%"
    assert growth(-2.77, "zh") == "降低2.77%"
    assert growth(0.001, "zh") == "持平"  # rounds to 0.00
    assert growth(115.63, "en") == "up 115.63%"
    assert growth(-2.77, "en") == "down 2.77%"


def test_share_as_vocational_to_general_ratio() -> None:
    # 职普比: 30% vocational → 3 of 10 vocational, 7 general.
    assert share_ratio(30.0) == "3:7"
    assert share_ratio(50.0) == "5:5"
    # 35 / 10 = 3.5 and 10 − 3.5 = 6.5
    assert share_ratio(35.0) == "3.5:6.5"
    # 33.33 / 10 = 3.333 → 3.3; 10 − 3.3 = 6.7
    assert share_ratio(33.33) == "3.3:6.7"


def test_gap_to_target_in_percentage_points() -> None:
    # 95 − 81.2 = 13.8 and 91.2 − 81.2 = 10, exactly (binary floats would give 13.799999… and 10.000000…1).
    assert gap_below(95.0, 81.2) == Decimal("13.8")
    assert gap_below(91.2, 81.2) == Decimal("10")
    assert points(gap_below(95.0, 81.2), "zh") == "13.8个百分点"
    assert points(gap_below(91.2, 81.2), "zh") == "10个百分点"
    assert points(gap_below(91.2, 81.2), "en") == "10 percentage points"
    # The gap is taken from the figures as written: 81.204 reads 81.2, so the gap reads 13.8.
    assert gap_below(95.0, 81.204) == Decimal("13.8")


def test_change_against_last_year() -> None:
    assert change(95.42, 93.0, "percent") == "+2.42"
    assert change(90.0, 91.0, "percent") == "−1"
    assert change(81.2, 81.2, "percent") == "0"


def test_rounding_is_half_up_not_bankers() -> None:
    assert rounded(0.125) == Decimal("0.13")
    assert rounded(2.5, 0) == Decimal("3")
