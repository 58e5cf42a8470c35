"""EDUSTAT_INDICATORS_FILE: another catalogue is part of a run's configuration (SQLite and PostgreSQL).

A changed catalogue makes a rerun of the same files recompute the year instead of `unchanged`; the
warehouse's indicator table gains the new code, and a code that leaves the catalogue gets its values
marked removed, as a region that leaves the region file does.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from config import DEFAULT_INDICATORS_FILE
from flows.yearly import yearly_flow
from tests.config.catalogue_files import entry
from tests.flows.rerun_data import query
from tests.flows.tiny_year import COUNTY_A1, COUNTY_A2, COUNTY_B1, PREFECTURE_A, PREFECTURE_B, PROVINCE, write_tiny_year

POLICE_POSTS = entry("police_post_schools", '{ table = "security", where = ["has_police_post"] }', kind="count")


def test_a_changed_catalogue_recomputes_the_year_and_the_warehouse_follows_it(
    tmp_path: Path, warehouse_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    input_dir, regions_file = write_tiny_year(tmp_path)
    monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", warehouse_url)
    monkeypatch.setenv("EDUSTAT_REGIONS_FILE", str(regions_file))
    monkeypatch.setenv("EDUSTAT_INDICATORS_FILE", str(DEFAULT_INDICATORS_FILE))

    def run() -> str:
        outcome = yearly_flow(year=2020, input_dir=str(input_dir), reason="test")
        assert outcome.status in ("succeeded", "unchanged"), outcome.message
        return outcome.status

    assert run() == "succeeded"
    assert run() == "unchanged"

    extended = tmp_path / "extended.toml"
    extended.write_text(DEFAULT_INDICATORS_FILE.read_text(encoding="utf-8") + "\n" + POLICE_POSTS, encoding="utf-8")
    monkeypatch.setenv("EDUSTAT_INDICATORS_FILE", str(extended))
    assert run() == "succeeded"
    current = query(warehouse_url, "SELECT region_code, value FROM indicator_current WHERE indicator_code = 'police_post_schools'")
    # Police posts at 6229010001 (622901), 6229210001 (622921) and 6201020001 (620102).
    expected = {COUNTY_A1: 1.0, COUNTY_A2: 1.0, COUNTY_B1: 1.0, PREFECTURE_A: 2.0, PREFECTURE_B: 1.0, PROVINCE: 3.0}
    assert dict(current.iter_rows()) == expected
    assert run() == "unchanged"

    monkeypatch.setenv("EDUSTAT_INDICATORS_FILE", str(DEFAULT_INDICATORS_FILE))
    assert run() == "succeeded"
    rows = query(
        warehouse_url,
        "SELECT region_code, is_current, is_removed FROM indicator_value WHERE indicator_code = 'police_post_schools' ORDER BY value_id",
    )
    assert rows.filter(pl.col("is_current").cast(pl.Boolean)).height == 0
    assert sorted(rows.filter(pl.col("is_removed").cast(pl.Boolean))["region_code"]) == sorted(expected)
    # The indicator keeps its row, as a region does: the values it had still name it.
    kept = query(warehouse_url, "SELECT kind FROM indicator WHERE indicator_code = 'police_post_schools'")
    assert kept["kind"].to_list() == ["count"]
