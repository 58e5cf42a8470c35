"""The tutorial's "Add an indicator" example (docs/tutorial/adding-an-indicator.md), run: two new codes in a catalogue file of one's own (SQLite and PostgreSQL).

A ratio per stage and a count with a condition, appended to the project's catalogue, computed by the
yearly flow over the hand-sized year of ``tiny_year`` and checked at county, prefecture and province
against the sums worked out by hand below; and traced back to the schools behind them.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from config import DEFAULT_INDICATORS_FILE
from edustat.indicators.trace import totals, trace
from flows.yearly import yearly_flow
from schemas.catalogue import load_catalogue
from schemas.rules import load_rules
from tests.flows.rerun_data import query
from tests.flows.tiny_year import COUNTY_A1, COUNTY_A2, COUNTY_B1, PREFECTURE_A, PREFECTURE_B, PROVINCE, write_tiny_year
from warehouse.engine import get_engine
from warehouse.read import county_tables

TUTORIAL = Path(__file__).resolve().parents[2] / "docs" / "tutorial" / "adding-an-indicator.md"

# staff rows (teachers_senior_title / teachers): primary 6229010001 6/15 (622901), 6229210002 2/8 (622921),
# 6201020001 12/30 (620102); junior 6229210001 10/25 and 6229210002 3/5 (both 622921).
PRIMARY = {COUNTY_A1: (6, 15), COUNTY_A2: (2, 8), COUNTY_B1: (12, 30), PREFECTURE_A: (8, 23), PREFECTURE_B: (12, 30), PROVINCE: (20, 53)}
JUNIOR = {COUNTY_A1: (0, 0), COUNTY_A2: (13, 30), COUNTY_B1: (0, 0), PREFECTURE_A: (13, 30), PREFECTURE_B: (0, 0), PROVINCE: (13, 30)}
# facilities computers: 622901 40 and 4, 622921 60 and 12, 620102 25 and 2 → schools with ≥ 12: 1, 2, 1.
WELL_EQUIPPED = {COUNTY_A1: 1, COUNTY_A2: 2, COUNTY_B1: 1, PREFECTURE_A: 3, PREFECTURE_B: 1, PROVINCE: 4}


def tutorial_example() -> str:
    """The TOML block that follows the add-an-indicator marker in the tutorial."""
    text = TUTORIAL.read_text(encoding="utf-8")
    found = re.search(r"<!-- add-an-indicator:.*?-->\n```toml\n(.*?)```", text, re.S)
    assert found is not None, "the tutorial lost its add-an-indicator example"
    return found.group(1)


def _ratio(numerator: int, denominator: int) -> tuple[float | None, float, float]:
    value = round(100 * numerator / denominator, 6) if denominator else None
    return value, float(numerator), float(denominator)


def test_the_tutorial_example_is_computed_at_every_level(tmp_path: Path, warehouse_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    input_dir, regions_file = write_tiny_year(tmp_path)
    catalogue_file = tmp_path / "province.toml"
    catalogue_file.write_text(DEFAULT_INDICATORS_FILE.read_text(encoding="utf-8") + "\n" + tutorial_example(), encoding="utf-8")
    monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", warehouse_url)
    monkeypatch.setenv("EDUSTAT_REGIONS_FILE", str(regions_file))
    monkeypatch.setenv("EDUSTAT_INDICATORS_FILE", str(catalogue_file))
    outcome = yearly_flow(year=2020, input_dir=str(input_dir), reason="new indicators")
    assert outcome.status == "succeeded", outcome.message

    stored = query(
        warehouse_url,
        "SELECT region_code, indicator_code, value, numerator, denominator FROM indicator_current "
        "WHERE indicator_code IN ('senior_title_share_primary', 'senior_title_share_junior', 'well_equipped_schools')",
    )
    found = {(r["indicator_code"], r["region_code"]): (r["value"], r["numerator"], r["denominator"]) for r in stored.iter_rows(named=True)}
    expected = {("senior_title_share_primary", region): _ratio(*sums) for region, sums in PRIMARY.items()}
    expected |= {("senior_title_share_junior", region): _ratio(*sums) for region, sums in JUNIOR.items()}
    expected |= {("well_equipped_schools", region): (float(n), float(n), None) for region, n in WELL_EQUIPPED.items()}
    assert found == expected

    # The schools behind the prefecture's junior share add up to its stored numerator and denominator.
    staged = county_tables(get_engine(warehouse_url), 2020, [COUNTY_A1, COUNTY_A2])
    traced = trace(staged, load_rules(), load_catalogue(catalogue_file), "senior_title_share_junior")
    assert traced.rows.select("school_code", "numerator", "denominator").rows() == [("6229210001", 10.0, 25.0), ("6229210002", 3.0, 5.0)]
    assert totals(traced) == {"numerator": 13.0, "denominator": 30.0}
    assert traced.rows.filter(pl.col("county_code") == COUNTY_A1).is_empty()
