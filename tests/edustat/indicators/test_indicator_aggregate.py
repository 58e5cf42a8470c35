"""Roll-up of contributions: Σ/Σ at every level, NULL on a zero denominator, a full grid, fixed rounding."""

import polars as pl
import pytest
from indicator_builders import COUNTY_A, COUNTY_B, PREFECTURE, PROVINCE, catalogue, enrol, regions, rolled_up, school, staff, staged, triple
from polars.testing import assert_frame_equal

from edustat.indicators.aggregate import CONTRIBUTION_SCHEMA, aggregate, ancestry_frame


def _contributions(rows):
    return pl.DataFrame(rows, schema=CONTRIBUTION_SCHEMA, orient="row")


def test_ancestry_frame_lists_each_county_with_its_ancestors():
    expected = pl.DataFrame(
        {
            "county_code": [COUNTY_A] * 3 + [COUNTY_B] * 3,
            "region_code": [COUNTY_A, PREFECTURE, PROVINCE, COUNTY_B, PREFECTURE, PROVINCE],
            "region_level": ["county", "prefecture", "province"] * 2,
        }
    )
    assert_frame_equal(ancestry_frame(regions()), expected, check_row_order=False)


def test_prefecture_ratio_is_sum_over_sum_not_mean_of_county_ratios():
    data = staged(
        schools=[school("A1", county=COUNTY_A), school("B1", county=COUNTY_B)],
        enrollment=[enrol("A1", "primary", 100), enrol("B1", "primary", 900)],
        staff=[staff("A1", "primary", teachers=10), staff("B1", "primary", teachers=30)],
    )
    values = rolled_up(data)
    assert triple(values, "pupil_teacher_ratio_primary", COUNTY_A) == (10.0, 100.0, 10.0)
    assert triple(values, "pupil_teacher_ratio_primary", COUNTY_B) == (30.0, 900.0, 30.0)
    # (100 + 900) / (10 + 30) = 25, not (10 + 30) / 2 = 20
    assert triple(values, "pupil_teacher_ratio_primary", PREFECTURE) == (25.0, 1000.0, 40.0)
    assert triple(values, "pupil_teacher_ratio_primary", PROVINCE) == (25.0, 1000.0, 40.0)


def test_zero_denominator_gives_null_not_zero_or_inf():
    contributions = _contributions([(COUNTY_A, "X1", "pupil_teacher_ratio_junior", 50.0, 0.0)])
    values = aggregate(contributions, ancestry_frame(regions()), catalogue())
    assert triple(values, "pupil_teacher_ratio_junior", COUNTY_A) == (None, 50.0, 0.0)
    assert triple(values, "pupil_teacher_ratio_junior", PREFECTURE) == (None, 50.0, 0.0)


def test_every_region_gets_every_aggregated_code():
    values = aggregate(pl.DataFrame(schema=CONTRIBUTION_SCHEMA), ancestry_frame(regions()), catalogue())
    codes = [i.code for i in catalogue().indicators if i.kind in ("ratio", "sum", "count")]
    assert values.height == 4 * len(codes)  # 2 counties, 1 prefecture, 1 province
    assert set(values["indicator_code"]) == set(codes)
    # sums and counts over no rows are 0, ratios NULL with 0 / 0
    assert triple(values, "new_teachers", PROVINCE) == (0.0, 0.0, None)
    assert triple(values, "inclusive_private_kindergartens", PROVINCE) == (0.0, 0.0, None)
    assert triple(values, "video_rate", PROVINCE) == (None, 0.0, 0.0)


def test_population_rows_only_add_to_the_denominator():
    contributions = _contributions(
        [
            (COUNTY_A, "K1", "preschool_ger", 90.0, None),
            (COUNTY_A, None, "preschool_ger", None, 120.0),
        ]
    )
    values = aggregate(contributions, ancestry_frame(regions()), catalogue())
    # 100 × 90 / 120 = 75
    assert triple(values, "preschool_ger", COUNTY_A) == (75.0, 90.0, 120.0)


def test_counties_outside_the_region_file_are_ignored():
    contributions = _contributions([("999999", "Z1", "new_teachers", 7.0, None)])
    values = aggregate(contributions, ancestry_frame(regions()), catalogue())
    assert triple(values, "new_teachers", PROVINCE) == (0.0, 0.0, None)


def test_values_are_rounded_to_six_decimals_and_sorted_top_down():
    contributions = _contributions([(COUNTY_A, "X1", "video_rate", 1.0, 3.0)])
    values = aggregate(contributions, ancestry_frame(regions()), catalogue())
    # 100 × 1 / 3 = 33.3333333… → 33.333333
    assert triple(values, "video_rate", COUNTY_A)[0] == 33.333333
    assert values.columns == ["region_code", "region_level", "indicator_code", "value", "numerator", "denominator"]
    assert values["region_code"].unique(maintain_order=True).to_list() == [PROVINCE, PREFECTURE, COUNTY_A, COUNTY_B]
    first_codes = values.filter(pl.col("region_code") == PROVINCE)["indicator_code"].head(2).to_list()
    assert first_codes == ["preschool_ger", "preschool_public_share"]


def test_same_input_in_another_row_order_gives_identical_bytes():
    rows = [(COUNTY_A if i % 2 else COUNTY_B, f"S{i}", "budget_total_10k_yuan", 0.1 * i, None) for i in range(200)]
    forward = aggregate(_contributions(rows), ancestry_frame(regions()), catalogue())
    backward = aggregate(_contributions(rows[::-1]), ancestry_frame(regions()), catalogue())
    assert_frame_equal(forward, backward, check_exact=True)
    # 0.1 × (0 + 1 + … + 199) = 0.1 × 19900 = 1990
    assert triple(forward, "budget_total_10k_yuan", PROVINCE)[0] == pytest.approx(1990.0, abs=1e-9)
