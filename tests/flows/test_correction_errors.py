"""Corrections with mistakes: an error inside the corrected file rejects it as a whole-year run would; one that
reaches another file makes the run check the whole year, so that every place is named."""

from __future__ import annotations

import os
from pathlib import Path
from unittest import mock

import polars as pl
import pytest
from rerun_data import base_warehouse, copy_warehouse, copy_year, edit_first_cell, query

from config import load_regions
from edustat.ingest.stage import stage_year
from flows.yearly import yearly_flow
from schemas.rules import load_rules

WORKBOOK = "622921_临夏县.xlsx"
OTHER_COUNTY_SCHOOL = "2162006001"
"""A school of 和政县 (622925), registered in that county's own workbook."""


@pytest.fixture
def warehouse(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> str:
    url = copy_warehouse(base_warehouse(sample_dir, tmp_path_factory), tmp_path / "warehouse.db")
    with mock.patch.dict(os.environ, {"EDUSTAT_WAREHOUSE_URL": url}):
        yield url


def _errors(frame: pl.DataFrame) -> set[tuple]:
    return set(frame.filter(pl.col("severity") == "error").select("rule", "source_file", "source_sheet", "cell").iter_rows())


def test_an_error_in_the_corrected_file_rejects_it_like_a_whole_year_check(warehouse: str, sample_dir: Path, tmp_path: Path) -> None:
    corrected = copy_year(sample_dir, 2020, tmp_path)
    cell = edit_first_cell(corrected / WORKBOOK, "安保", "专职保安员数", lambda _: -1)
    before = query(warehouse, "SELECT region_code, indicator_code, value FROM indicator_current WHERE year = 2020 ORDER BY 1, 2")

    outcome = yearly_flow(year=2020, input_dir=str(corrected), reason="a typo")

    assert outcome.status == "rejected"
    _, whole_year = stage_year(corrected, load_regions(Path("config/regions.toml")), load_rules())
    assert _errors(outcome.issues) == _errors(whole_year) == {("negative_value", WORKBOOK, "安保", cell)}
    stored = query(warehouse, f"SELECT rule, source_file, cell FROM validation_issue WHERE run_id = {outcome.run_id} AND severity = 'error'")
    assert stored.rows() == [("negative_value", WORKBOOK, cell)]
    after = query(warehouse, "SELECT region_code, indicator_code, value FROM indicator_current WHERE year = 2020 ORDER BY 1, 2")
    assert after.equals(before)


def test_a_code_that_clashes_with_another_countys_file_is_reported_in_both_files(warehouse: str, sample_dir: Path, tmp_path: Path) -> None:
    corrected = copy_year(sample_dir, 2020, tmp_path)
    edit_first_cell(corrected / WORKBOOK, "学校名录", "学校标识码", lambda _: OTHER_COUNTY_SCHOOL)

    outcome = yearly_flow(year=2020, input_dir=str(corrected), reason="a code typed twice")

    assert outcome.status == "rejected"
    duplicates = outcome.issues.filter((pl.col("rule") == "duplicate_key") & (pl.col("table_name") == "schools"))
    assert set(duplicates["source_file"]) == {WORKBOOK, "622925_和政县.xlsx"}
    _, whole_year = stage_year(corrected, load_regions(Path("config/regions.toml")), load_rules())
    assert _errors(outcome.issues) == _errors(whole_year)
