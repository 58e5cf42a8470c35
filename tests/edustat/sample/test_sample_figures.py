"""The 2020 sample, summed at the prefecture by a second, plain computation, gives every report figure.

Each figure is worked out here straight from the generated frames, independently of
edustat.indicators, and compared at the report's precision: round(value, decimals shown) == figure.
"""

from __future__ import annotations

import polars as pl
import pytest

STAGES = ["preschool", "primary", "junior", "senior", "vocational", "higher_vocational"]
SCHOOL_TYPES = ["211", "311", "312", "341", "342", "345"]
WITH_TEACHING_POINTS = ["211", "218", "311", "312", "341", "342", "345"]
AREA_CODES = {"urban": ["111", "112"], "town": ["121", "122", "123"], "rural": ["210", "220"]}


def _stage_sum(tables: dict[str, pl.DataFrame], table: str, column: str, stages: list[str]) -> float:
    return tables[table].filter(pl.col("stage").is_in(stages))[column].sum()


def _counted(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Registry rows of the schools with at least one row in a data table."""
    codes = pl.concat([tables[t].select("school_code") for t in ("enrollment", "staff", "security", "facilities", "funding")])
    return tables["schools"].join(codes.unique(), on="school_code", how="semi")


def _share_with(tables: dict[str, pl.DataFrame], types: list[str], condition: pl.Expr, area: str | None = None) -> float:
    schools = _counted(tables).filter(pl.col("school_type_code").is_in(types))
    if area is not None:
        schools = schools.filter(pl.col("urban_rural_code").is_in(AREA_CODES[area]))
    joined = schools.join(tables["security"], on="school_code", how="left").join(tables["facilities"], on="school_code", how="left")
    return 100 * joined.filter(condition).height / schools.height


def test_preschool_figures(year_2020):
    preschool = year_2020["enrollment"].filter(pl.col("stage") == "preschool").join(year_2020["schools"], on="school_code")
    children = preschool["students"].sum()
    public = preschool.filter(pl.col("ownership") == "public")["students"].sum()
    inclusive = preschool.filter((pl.col("ownership") == "public") | pl.col("is_inclusive").fill_null(False))["students"].sum()
    assert round(100 * children / year_2020["population"]["age_3_5"].sum(), 2) == 95.42
    assert round(100 * public / children) == 73
    assert round(100 * inclusive / children) == 96
    private_inclusive = year_2020["schools"].filter(
        (pl.col("school_type_code") == "111") & (pl.col("ownership") == "private") & (pl.col("is_inclusive") == True)  # noqa: E712
    )
    assert private_inclusive.height == 164


def test_class_size_figures(year_2020):
    compulsory = year_2020["enrollment"].filter(pl.col("stage").is_in(["primary", "junior"]))
    large = compulsory["classes_56_65"].sum() + compulsory["classes_66_plus"].sum()
    assert 100 * large / compulsory["classes"].sum() < 1
    assert compulsory["classes_66_plus"].sum() == 0


def test_senior_and_teacher_figures(year_2020):
    senior_stage = _stage_sum(year_2020, "enrollment", "students", ["senior", "vocational"])
    assert round(100 * senior_stage / year_2020["population"]["age_15_17"].sum(), 1) == 81.2
    staff = year_2020["staff"]
    assert round(100 * staff["putonghua_qualified"].sum() / staff["teachers"].sum()) == 100


def test_budget_growth_figures(year_2019, year_2020):
    growth = 100 * (year_2020["funding"]["budget_10k_yuan"].sum() / year_2019["funding"]["budget_10k_yuan"].sum() - 1)
    assert round(growth, 2) == 15.81
    expected = {"preschool": 13.12, "primary": 10.92, "junior": 7.63, "senior": -2.77, "vocational": 115.63, "higher_vocational": 8.09}
    for stage, figure in expected.items():
        per_student = [
            10000 * _stage_sum(y, "funding", "budget_10k_yuan", [stage]) / _stage_sum(y, "enrollment", "students", [stage])
            for y in (year_2019, year_2020)
        ]
        assert round(100 * (per_student[1] / per_student[0] - 1), 2) == figure, stage


def test_public_funds_figures(year_2020):
    expected = [11555.04, 18960.35, 8798.61, 13809.6, 16435.88, 5649.36]
    sums = [round(_stage_sum(year_2020, "funding", "public_funds_10k_yuan", [s]), 2) for s in STAGES]
    assert sums == expected
    # 11555.04 + 18960.35 + 8798.61 + 13809.6 + 16435.88 + 5649.36 = 75208.84
    assert round(year_2020["funding"]["public_funds_10k_yuan"].sum(), 2) == 75208.84


@pytest.mark.parametrize(
    ("types", "area", "figure"),
    [(SCHOOL_TYPES, None, 82), (["111"], "urban", 100), (["111"], "town", 74), (["111"], "rural", 54), (["218"], None, 22)],
)
def test_guard_rates(year_2020, types, area, figure):
    assert round(_share_with(year_2020, types, pl.col("guards") >= 1, area)) == figure


def test_safety_and_multimedia_rates(year_2020):
    counted = _counted(year_2020).join(year_2020["security"], on="school_code")
    assert round(100 * counted["is_closed_campus"].sum() / counted.height) == 100
    assert round(_share_with(year_2020, ["111"], pl.col("has_alarm"), "urban")) == 100
    assert round(_share_with(year_2020, WITH_TEACHING_POINTS, pl.col("multimedia_classrooms") >= 1)) == 100


def test_every_year_can_be_generated_from_the_same_schools(year_2020):
    from edustat.sample import generate_year

    later = generate_year(2022, 2021)
    assert later["schools"].equals(year_2020["schools"])
    assert later["enrollment"]["students"].sum() != year_2020["enrollment"]["students"].sum()
