"""Every generated row keeps the rules of contract §2, and the population looks like 临夏州's."""

from __future__ import annotations

import polars as pl
import pytest

from config import load_regions
from schemas.rules import load_rules

STAFF_SUBCOUNTS = [
    "teachers_above_degree", "teachers_senior_title", "backbone_teachers", "pe_art_teachers", "putonghua_qualified", "new_teachers",
]


@pytest.fixture(params=["2019", "2020"])
def tables(request, year_2019, year_2020) -> dict[str, pl.DataFrame]:
    """Each generated year in turn."""
    return {"2019": year_2019, "2020": year_2020}[request.param]


def test_school_count_and_type_mix(year_2020):
    schools = year_2020["schools"]
    assert 1600 <= schools.height <= 1900
    by_type = dict(schools.group_by("school_type_code").len().iter_rows())
    for code in ("111", "211", "218", "311", "312", "341", "342", "345", "415"):
        assert by_type.get(code, 0) >= 1, code
    assert by_type["415"] == 1
    assert 1 <= sum(n for c, n in by_type.items() if c.startswith("36")) <= 12
    assert 1 <= sum(n for c, n in by_type.items() if c.startswith("51")) <= 10
    private_kindergartens = schools.filter((pl.col("school_type_code") == "111") & (pl.col("ownership") == "private"))
    assert private_kindergartens.filter(~pl.col("is_inclusive")).height >= 1
    assert set(schools["county_code"]) == load_regions().county_codes()


def test_registry_codes(year_2020):
    schools = year_2020["schools"]
    rules = load_rules()
    assert schools["school_code"].str.contains(r"^\d{10}$").all()
    assert schools["school_code"].n_unique() == schools.height
    assert schools["school_type_code"].is_in(list(rules.school_types)).all()
    assert schools["urban_rural_code"].is_in(list(rules.urban_rural)).all()
    assert schools["ownership"].is_in(["public", "private"]).all()
    assert schools["school_name"].str.len_chars().min() > 3
    # is_inclusive is answered by private kindergartens, and only by them.
    is_private_kindergarten = (pl.col("school_type_code") == "111") & (pl.col("ownership") == "private")
    assert schools.filter(is_private_kindergarten)["is_inclusive"].null_count() == 0
    assert schools.filter(~is_private_kindergarten)["is_inclusive"].null_count() == schools.filter(~is_private_kindergarten).height


def test_kindergartens_in_every_area(year_2020):
    areas = year_2020["schools"].filter(pl.col("school_type_code") == "111")["urban_rural_code"].replace_strict(load_rules().urban_rural)
    assert set(areas) == {"urban", "town", "rural"}


def test_stages_fit_school_types(tables):
    allowed = pl.DataFrame(
        [(code, stage) for code, spec in load_rules().school_types.items() for stage in spec.stages],
        schema={"school_type_code": pl.String, "stage": pl.String},
        orient="row",
    )
    for name in ("enrollment", "staff", "funding"):
        rows = tables[name].join(tables["schools"], on="school_code")
        assert rows.join(allowed, on=["school_type_code", "stage"], how="anti").height == 0, name
        assert rows.height == tables[name].height
        assert tables[name].select("school_code", "stage").is_duplicated().sum() == 0


def test_enrollment_rules(tables):
    e = tables["enrollment"]
    assert e.filter(pl.col("students") < 0).height == 0
    assert e.filter(pl.col("entrants") > pl.col("students")).height == 0
    assert e.filter((pl.col("students") > 0) & (pl.col("classes") <= 0)).height == 0
    assert e.filter(pl.col("classes_56_65") + pl.col("classes_66_plus") > pl.col("classes")).height == 0
    size = (pl.col("students") / pl.col("classes")).alias("size")
    assert e.filter(pl.col("stage").is_in(["primary", "junior", "senior"])).select(size)["size"].max() <= 56
    big = e.filter(pl.col("stage").is_in(["primary", "junior"]) & (pl.col("students") >= 300)).select(size)["size"]
    assert 30 <= big.median() <= 50


def test_staff_rules(tables):
    s = tables["staff"]
    assert s.filter(pl.col("teachers") > pl.col("staff")).height == 0
    for column in STAFF_SUBCOUNTS:
        assert s.filter((pl.col(column) < 0) | (pl.col(column) > pl.col("teachers"))).height == 0, column
    assert s.filter(pl.col("training_sessions") < 0).height == 0
    ratio = tables["enrollment"].join(s, on=["school_code", "stage"]).select(pl.col("students") / pl.col("teachers"))
    outside = ratio.filter((pl.col("students") < 5) | (pl.col("students") > 40)).height
    assert outside <= 0.02 * ratio.height


def test_money_and_facilities_rules(tables):
    f = tables["funding"]
    assert f.filter(pl.col("public_funds_10k_yuan") > pl.col("budget_10k_yuan")).height == 0
    assert f.filter((pl.col("budget_10k_yuan") < 0) | (pl.col("public_funds_10k_yuan") < 0)).height == 0
    numbers = tables["facilities"].drop("school_code")
    assert numbers.select(pl.all().min()).row(0) >= (0,) * numbers.width
    assert tables["facilities"].filter(pl.col("multimedia_classrooms") > pl.col("classrooms")).height == 0
    assert tables["population"].drop("county_code").select(pl.all().min()).row(0) > (0,) * 4


def test_every_school_reports_every_table(tables):
    codes = set(tables["schools"]["school_code"])
    for name in ("enrollment", "staff", "security", "facilities", "funding"):
        assert set(tables[name]["school_code"]) == codes, name
    assert tables["population"]["county_code"].sort().to_list() == sorted(load_regions().county_codes())


def test_year_on_year_changes_stay_below_the_warning(year_2019, year_2020):
    both = year_2019["enrollment"].join(year_2020["enrollment"], on=["school_code", "stage"], suffix="_2020")
    assert both.height == year_2020["enrollment"].height
    change = ((pl.col("students_2020") - pl.col("students")).abs() / pl.col("students")).alias("change")
    assert both.select(change)["change"].max() < 0.30
    per_school = both.group_by("school_code").agg(pl.col("students").sum(), pl.col("students_2020").sum())
    assert per_school.select(change)["change"].max() < 0.30
    # ...and the years do differ.
    assert both.filter(pl.col("students") != pl.col("students_2020")).height > both.height / 2


def test_counties_differ(year_2020):
    e = year_2020["enrollment"].join(year_2020["schools"], on="school_code").filter(pl.col("stage") == "preschool")
    by_county = e.group_by("county_code").agg(pl.col("students").sum()).join(year_2020["population"], on="county_code")
    ratios = by_county.select(pl.col("students") / pl.col("age_3_5"))["students"]
    assert ratios.max() - ratios.min() > 0.05


def test_generation_is_deterministic(year_2020):
    from edustat.sample.generate import generate_year
    from edustat.sample.population import population_for
    from edustat.sample.students import students_for

    population_for.cache_clear()
    students_for.cache_clear()
    again = generate_year(2020, 2021)
    for name, frame in year_2020.items():
        assert again[name].equals(frame), name
    assert not generate_year(2020, 2022)["schools"].equals(year_2020["schools"])


def test_later_years_also_change_less_than_the_warning(year_2020):
    from edustat.sample import generate_year

    later = generate_year(2021, 2021)["enrollment"]
    both = year_2020["enrollment"].join(later, on=["school_code", "stage"], suffix="_2021")
    change = ((pl.col("students_2021") - pl.col("students")).abs() / pl.col("students")).alias("change")
    assert both.select(change)["change"].max() < 0.30
