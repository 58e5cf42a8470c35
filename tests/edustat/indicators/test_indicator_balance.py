"""县域义务教育优质均衡: per-school measures, weighted CV, pass flag and school pass share."""

import math

import polars as pl
import pytest
from indicator_builders import (
    COUNTY_A,
    COUNTY_B,
    catalogue,
    enrol,
    facilities,
    rules,
    school,
    staff,
    staged,
    triple,
)

from edustat.indicators.balance import balance_school_values, balance_values, weighted_cv

MEASURES = rules().balance.measures


def _school(code, county, students, *, above_degree=5, backbone=1, pe_art=1, teaching_area=450.0,
            sports_area=750.0, equipment=20.0, multimedia=2.0):  # fmt: skip
    """Rows of a primary-only school; with 100 pupils the defaults give 5, 1, 1, 4.5, 7.5, 2000, 2 per measure."""
    return {
        "schools": [school(code, county=county)],
        "enrollment": [enrol(code, "primary", students)],
        "staff": [staff(code, "primary", teachers=20, teachers_above_degree=above_degree,
                        backbone_teachers=backbone, pe_art_teachers=pe_art)],  # fmt: skip
        "facilities": [facilities(code, teaching_area_m2=teaching_area, sports_area_m2=sports_area,
                                  equipment_value_10k_yuan=equipment, multimedia_classrooms=multimedia)],  # fmt: skip
    }


def _merge(*parts):
    tables = {}
    for part in parts:
        for name, rows in part.items():
            tables.setdefault(name, []).extend(rows)
    return staged(**tables)


def _data():
    return _merge(
        # county A: X meets 6 of 7 (multimedia 2 < 2.3), Y 5 of 7 (sports 7.0 < 7.5 as well)
        _school("X", COUNTY_A, 100),
        _school("Y", COUNTY_A, 100, sports_area=700.0),
        # county B: teachers above degree 1 and 9 per 100 pupils → CV 0.8 > 0.50
        _school("U", COUNTY_B, 100, above_degree=1),
        _school("V", COUNTY_B, 100, above_degree=9),
    )


def test_weighted_cv_by_hand():
    frame = pl.DataFrame(
        {"county_code": [COUNTY_A, COUNTY_A], "stage": ["primary", "primary"], "students": [100, 300], "m": [2.0, 4.0]}
    )
    row = weighted_cv(frame, ["m"]).collect().row(0, named=True)
    # X̄ = (100·2 + 300·4) / 400 = 3.5; S² = 0.25·(2 − 3.5)² + 0.75·(4 − 3.5)² = 0.5625 + 0.1875 = 0.75
    assert row["students_total"] == 400
    assert row["mean"] == pytest.approx(3.5)
    assert row["sd"] == pytest.approx(math.sqrt(0.75))
    assert row["cv"] == pytest.approx(math.sqrt(0.75) / 3.5)  # 0.247435…


def test_weighted_cv_is_null_when_the_mean_is_zero():
    frame = pl.DataFrame({"county_code": ["c"], "stage": ["primary"], "students": [10], "m": [0.0]})
    assert weighted_cv(frame, ["m"]).collect()["cv"].to_list() == [None]


def test_facilities_are_shared_by_students_times_stage_weight():
    data = staged(
        schools=[school("N", type_code="312")],
        enrollment=[enrol("N", "primary", 100), enrol("N", "junior", 100), enrol("N", "preschool", 50)],
        facilities=[facilities("N", teaching_area_m2=2100)],
    )
    values = balance_school_values(data, rules()).sort("stage", descending=True)
    # weights primary 1, junior 1.1, preschool none: primary gets 2100 · 100 / (100 + 110) = 1000 m² → 10 per pupil,
    # junior 2100 · 110 / 210 = 1100 m² → 11 per pupil
    assert values["stage"].to_list() == ["primary", "junior"]
    assert values["facility_share"].to_list() == pytest.approx([100 / 210, 110 / 210])
    assert values["teaching_area_per_student"].to_list() == pytest.approx([10.0, 11.0])


def test_small_teaching_points_and_empty_stages_take_no_part():
    data = staged(
        schools=[school("T1", type_code="218"), school("T2", type_code="218"), school("P1"), school("P0")],
        enrollment=[
            enrol("T1", "primary", 49),  # teaching point under 50: out
            enrol("T2", "primary", 50),  # exactly 50: in
            enrol("P1", "primary", 10),  # small, but not a teaching point: in
            enrol("P0", "primary", 0),  # no pupils: out
        ],
    )
    assert balance_school_values(data, rules())["school_code"].to_list() == ["P1", "T2"]


def test_school_values_count_standards_met():
    values = balance_school_values(_data(), rules()).filter(pl.col("county_code") == COUNTY_A)
    x = values.filter(pl.col("school_code") == "X").row(0, named=True)
    # 100·5/100 = 5 ≥ 4.2; 1 ≥ 1; 1 ≥ 0.9; 450/100 = 4.5 ≥ 4.5; 7.5 ≥ 7.5; 10000·20/100 = 2000 ≥ 2000; 2 < 2.3
    assert [x[m] for m in MEASURES] == pytest.approx([5.0, 1.0, 1.0, 4.5, 7.5, 2000.0, 2.0])
    assert (x["standards_met"], x["is_passing"]) == (6, True)
    y = values.filter(pl.col("school_code") == "Y").row(0, named=True)
    assert (y["sports_area_per_student"], y["standards_met"], y["is_passing"]) == (7.0, 5, False)


def test_balance_values_cv_pass_and_share():
    values = balance_values(_data(), rules(), [COUNTY_A, COUNTY_B], catalogue())
    # county A sports: X̄ = (7.5 + 7) / 2 = 7.25, S = √(½·0.25² + ½·0.25²) = 0.25, CV = 0.25 / 7.25 = 0.0344827…
    value, sd, mean = triple(values, "balance_cv_sports_area_per_student_primary", COUNTY_A)
    assert (value, sd, mean) == (0.034483, 0.25, 7.25)  # rounded to 6 decimals
    assert triple(values, "balance_cv_backbone_teachers_per_100_students_primary", COUNTY_A)[0] == 0.0
    # every CV within 0.50 → 1; 7 of 7 measures within
    assert triple(values, "balance_cv_pass_primary", COUNTY_A) == (1.0, 7.0, 7.0)
    # X passes, Y does not → 100 × 1 / 2
    assert triple(values, "balance_school_pass_share_primary", COUNTY_A) == (50.0, 1.0, 2.0)
    # county B: X̄ = 5, S = 4, CV = 0.8 > 0.50 → 0 with 6 of 7 within
    code = "balance_cv_teachers_above_degree_per_100_students_primary"
    assert triple(values, code, COUNTY_B) == (0.8, 4.0, 5.0)
    assert triple(values, "balance_cv_pass_primary", COUNTY_B) == (0.0, 6.0, 7.0)


def test_stage_without_schools_has_null_cv_pass_and_share():
    values = balance_values(_data(), rules(), [COUNTY_A, COUNTY_B], catalogue())
    assert triple(values, "balance_cv_teaching_area_per_student_junior", COUNTY_A) == (None, None, None)
    assert triple(values, "balance_cv_pass_junior", COUNTY_A) == (None, 0.0, 7.0)
    assert triple(values, "balance_school_pass_share_junior", COUNTY_A) == (None, 0.0, 0.0)


def test_balance_values_one_row_per_county_per_code_at_county_level():
    values = balance_values(_data(), rules(), [COUNTY_A, COUNTY_B], catalogue())
    # 2 stages × (7 CVs + pass + share) = 18 codes per county
    assert values.height == 2 * 18
    assert values["region_level"].unique().to_list() == ["county"]
