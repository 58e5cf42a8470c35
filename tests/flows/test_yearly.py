"""The yearly flow on the sample, on SQLite and (where configured) PostgreSQL."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
import pytest
import sqlalchemy as sa

from config import load_regions
from edustat.figures import matches_published
from flows.yearly import yearly_flow
from schemas.catalogue import load_catalogue
from tests.conftest import POSTGRES_ENV, WAREHOUSE_PARAMS

if TYPE_CHECKING:
    from tests.flows.conftest import LoadedSample


@pytest.fixture(scope="module", params=WAREHOUSE_PARAMS)
def loaded(request: pytest.FixtureRequest, loaded_sample: LoadedSample, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copy of the warehouse with the sample's 2019 and 2020 loaded by the flow (each run succeeded without an
    error: tests/flows/rerun_data.load_sample_years), shared by this module's tests.

    Tests may add runs but must leave the current values as loaded.
    """
    with loaded_sample.copy(request.param, tmp_path_factory.mktemp("warehouse")) as url, pytest.MonkeyPatch.context() as patch:
        patch.setenv("EDUSTAT_WAREHOUSE_URL", url)
        yield url


def _query(url: str, sql: str) -> pl.DataFrame:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return pl.read_database(sa.text(sql), connection)
    finally:
        engine.dispose()


def test_published_figures_are_reproduced(loaded: str) -> None:
    catalogue = load_catalogue()
    values = _query(
        loaded,
        f"SELECT indicator_code, value FROM indicator_current WHERE year = {catalogue.report_year} "
        f"AND region_code = '{catalogue.report_region}'",
    )
    by_code = dict(zip(values["indicator_code"], values["value"], strict=True))
    published = [i for i in catalogue.indicators if i.report is not None or i.report_text]
    assert len(published) >= 20
    misses = {i.code: (by_code.get(i.code), i.report or i.report_text) for i in published if not matches_published(by_code.get(i.code), i)}
    assert misses == {}


def test_every_code_present_for_every_region(loaded: str) -> None:
    catalogue = load_catalogue()
    regions = load_regions()
    current = _query(loaded, "SELECT region_code, indicator_code, value, denominator FROM indicator_current WHERE year = 2020")
    expected = {
        (r.code, i.code)
        for r in regions.regions
        for i in catalogue.indicators
        if i.levels == "all" or r.level == "county"
    }
    assert set(zip(current["region_code"], current["indicator_code"], strict=True)) == expected
    # A ratio with a non-zero denominator always has a value.
    ratios = current.filter(pl.col("indicator_code").is_in(catalogue.codes("ratio")) & (pl.col("denominator") > 0))
    assert ratios.filter(pl.col("value").is_null()).height == 0


def test_one_current_row_per_key(loaded: str) -> None:
    duplicates = _query(
        loaded,
        "SELECT year, region_code, indicator_code, COUNT(*) AS n FROM indicator_value WHERE is_current "
        "GROUP BY year, region_code, indicator_code HAVING COUNT(*) > 1",
    )
    assert duplicates.is_empty()


def test_preschool_ger_agrees_with_sql_over_school_tables(loaded: str) -> None:
    # A second, independent computation: straight SQL over the stored school-level tables.
    independent = _query(
        loaded,
        "SELECT (SELECT SUM(students) FROM enrollment WHERE year = 2020 AND stage = 'preschool') * 100.0 "
        "/ (SELECT SUM(age_3_5) FROM population WHERE year = 2020) AS ger",
    )["ger"][0]
    stored = _query(
        loaded, "SELECT value FROM indicator_current WHERE year = 2020 AND region_code = '622900' AND indicator_code = 'preschool_ger'"
    )["value"][0]
    assert stored == pytest.approx(float(independent), abs=1e-6)


def test_identical_rerun_is_unchanged(loaded: str, sample_dir: Path) -> None:
    before = _query(loaded, "SELECT COUNT(*) AS n FROM indicator_value")["n"][0]
    outcome = yearly_flow(year=2020, input_dir=str(sample_dir / "2020"), reason="same files again")
    assert outcome.status == "unchanged"
    assert _query(loaded, "SELECT COUNT(*) AS n FROM indicator_value")["n"][0] == before


def test_bad_input_is_rejected_and_changes_nothing(loaded: str, sample_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "2020"
    shutil.copytree(sample_dir / "2020", broken)
    (broken / "garbage.xlsx").write_bytes(b"this is not a workbook")
    before = _query(loaded, "SELECT region_code, indicator_code, value FROM indicator_current WHERE year = 2020 ORDER BY 1, 2")
    outcome = yearly_flow(year=2020, input_dir=str(broken), reason="broken")
    assert outcome.status == "rejected"
    assert "garbage.xlsx" in outcome.issues["source_file"].to_list()
    after = _query(loaded, "SELECT region_code, indicator_code, value FROM indicator_current WHERE year = 2020 ORDER BY 1, 2")
    assert after.equals(before)
    status = _query(loaded, f"SELECT status FROM etl_run WHERE run_id = {outcome.run_id}")["status"][0]
    assert status == "rejected"
    stored = _query(loaded, f"SELECT COUNT(*) AS n FROM validation_issue WHERE run_id = {outcome.run_id}")["n"][0]
    assert stored == outcome.issues.height


@pytest.mark.skipif(os.environ.get(POSTGRES_ENV) is None, reason=f"{POSTGRES_ENV} not set: needs both warehouses")
def test_sqlite_and_postgres_store_the_same_values(loaded_sample: LoadedSample) -> None:
    # Both templates are the flow's loads of the same 2019 and 2020 (rerun_data.load_sample_years), one per dialect.
    sql = "SELECT year, region_code, indicator_code, value, numerator, denominator FROM indicator_current ORDER BY 1, 2, 3"
    stored = [_query(loaded_sample.template(kind), sql) for kind in ("sqlite", os.environ[POSTGRES_ENV])]
    assert stored[0].height > 1000
    assert stored[0].equals(stored[1])
