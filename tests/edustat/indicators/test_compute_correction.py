"""compute_correction: a correction recomputed from the corrected counties alone equals the full computation.

The oracle is compute_indicators over the whole corrected year (tested on its own against hand-worked
values); the correction sees only the corrected counties' rows plus the stored county values.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from config import load_regions
from edustat.indicators import compute_correction, compute_indicators
from edustat.ingest.stage import stage_year
from edustat.sample import write_sample
from schemas.catalogue import load_catalogue
from schemas.issues import has_errors
from schemas.rules import load_rules
from schemas.staged import StagedTables

REGIONS = load_regions(Path("config/regions.toml"))
RULES = load_rules()
CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def years(tmp_path_factory: pytest.TempPathFactory) -> dict[int, StagedTables]:
    root = tmp_path_factory.mktemp("sample")
    write_sample(root, [2019, 2020], seed=2021)
    staged = {}
    for year in (2019, 2020):
        staged[year], issues = stage_year(root / str(year), REGIONS, RULES)
        assert not has_errors(issues)
    return staged


def _in_counties(staged: StagedTables, counties: list[str]) -> StagedTables:
    """Only the rows of schools registered in ``counties`` (and those counties' population)."""
    codes = staged.schools.filter(pl.col("county_code").is_in(counties))["school_code"].to_list()
    tables = {
        name: frame.filter(pl.col("county_code").is_in(counties)) if name == "population" else frame.filter(pl.col("school_code").is_in(codes))
        for name, frame in staged.items()
    }
    return StagedTables(**tables)


def _corrected(staged: StagedTables, county: str) -> StagedTables:
    """The year with the first school of ``county`` given 3 more guards and twice the students in its first enrollment row."""
    school = staged.schools.filter(pl.col("county_code") == county)["school_code"][0]
    security = staged.security.with_columns(
        pl.when(pl.col("school_code") == school).then(pl.col("guards") + 3).otherwise(pl.col("guards")).alias("guards")
    )
    first = staged.enrollment.with_row_index("__i").filter(pl.col("school_code") == school)["__i"][0]
    enrollment = staged.enrollment.with_row_index("__i").with_columns(
        pl.when(pl.col("__i") == first).then(pl.col("students") * 2).otherwise(pl.col("students")).alias("students")
    ).drop("__i")
    tables = dict(staged.items()) | {"security": security, "enrollment": enrollment}
    return StagedTables(**tables)


@pytest.mark.parametrize("corrected_counties", [["622901"], ["622921", "622927"]])
def test_correction_of_some_counties_equals_the_full_computation(years: dict[int, StagedTables], corrected_counties: list[str]) -> None:
    previous = compute_indicators(years[2019], REGIONS, RULES, CATALOGUE).values
    stored = compute_indicators(years[2020], REGIONS, RULES, CATALOGUE, previous_values=previous).values
    corrected = years[2020]
    for county in corrected_counties[:1]:
        corrected = _corrected(corrected, county)
    expected = compute_indicators(corrected, REGIONS, RULES, CATALOGUE, previous_values=previous)

    actual = compute_correction(
        _in_counties(corrected, corrected_counties),
        corrected_counties,
        stored.filter(pl.col("region_level") == "county"),
        REGIONS, RULES, CATALOGUE,
        previous_values=previous,
    )

    assert not expected.values.equals(stored), "the correction must change something for this test to mean anything"
    assert_frame_equal(actual.values, expected.values)


def test_stored_values_of_other_counties_are_what_the_result_keeps(years: dict[int, StagedTables]) -> None:
    # A stored county value that is not recomputed is taken as it is: change one, and the prefecture follows it.
    stored = compute_indicators(years[2020], REGIONS, RULES, CATALOGUE).values
    county_rows = stored.filter(pl.col("region_level") == "county")
    other = "622921"
    bumped = county_rows.with_columns(
        pl.when((pl.col("region_code") == other) & (pl.col("indicator_code") == "budget_total_10k_yuan"))
        .then(pl.col("numerator") + 1.5).otherwise(pl.col("numerator")).alias("numerator")
    )
    actual = compute_correction(_in_counties(years[2020], ["622901"]), ["622901"], bumped, REGIONS, RULES, CATALOGUE).values

    def budget(frame: pl.DataFrame, region: str) -> float:
        return frame.filter((pl.col("region_code") == region) & (pl.col("indicator_code") == "budget_total_10k_yuan"))["value"][0]

    assert budget(actual, "622900") == pytest.approx(budget(stored, "622900") + 1.5)
