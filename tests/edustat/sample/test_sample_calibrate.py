"""The exact-arithmetic helpers behind the sample's calibration."""

from __future__ import annotations

from edustat.sample.calibrate import count_for_rate, decimals_of, report_figures, rounds_to, split_total, target, total_for_share


def test_split_total_keeps_the_total_and_the_proportions():
    # 10 × 1/6 = 1.67, 10 × 2/6 = 3.33, 10 × 3/6 = 5 → floors 1, 3, 5 (9); the largest remainder (.67) gets the last one.
    assert split_total(10, [1, 2, 3]) == [2, 3, 5]
    # Zero weights get nothing; 7 splits 3.5 / 3.5, the tie goes to the earlier row.
    assert split_total(7, [1, 0, 1]) == [4, 0, 3]
    assert split_total(0, [5, 5]) == [0, 0]
    assert split_total(5, []) == []


def test_decimals_and_rounding_follow_the_figure():
    assert decimals_of(95.42) == 2
    assert decimals_of(81.2) == 1
    assert decimals_of(73.0) == 0
    assert decimals_of(-2.77) == 2
    assert rounds_to(95.4249, 95.42)
    assert not rounds_to(95.4251, 95.42)
    assert rounds_to(72.6, 73.0)


def test_count_for_rate_picks_the_count_that_rounds_to_the_figure():
    # 100 × 41/50 = 82.0
    assert count_for_rate(50, 82) == 41
    # 100 × 74/100 = 74; of 77 schools, 57 give 74.03 (56 → 72.7, 58 → 75.3).
    assert count_for_rate(77, 74) == 57
    assert count_for_rate(0, 50) == 0
    assert count_for_rate(3, 100) == 3


def test_targets_come_from_the_catalogue_and_trend_off_year():
    figures = report_figures()
    assert figures["preschool_ger"] == 95.42
    assert figures["large_class_share_below"] == 1.0
    assert target("preschool_ger", 2020) == 95.42
    # The trend is 1.5 points a year: 95.42 − 1.5 = 93.92.
    assert target("preschool_ger", 2019) == 93.92
    # 100 stays 100 in every year.
    assert target("guard_rate_kindergartens_urban", 2018) == 100


def test_total_for_share_finds_the_denominator():
    # 100 × 954 / 1000 = 95.4; 100 × 9542 / 10000 = 95.42 exactly.
    assert total_for_share(9542, 95.42) == 10000
    # 100 × 73 / 100 = 73; of the totals near 100 only 100 gives exactly 73.
    assert total_for_share(73, 73.0) == 100
    assert total_for_share(0, 95.42) == 0
