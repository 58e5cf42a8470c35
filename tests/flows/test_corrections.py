"""Reruns after a county's correction: new values right, old ones kept, the history command shows old → new, year + 1's growth refreshed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rerun_data import COUNTY, COUNTY_DIR, SCHOOL, add_to_cell, base_warehouse, copy_warehouse, copy_year, query, read_rows
from typer.testing import CliRunner

from flows.yearly import yearly_flow

STORED = 5.01e-7
"""Values are stored rounded to 6 decimals."""


@pytest.fixture
def warehouse(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A private copy of a warehouse holding the sample's 2019 and 2020."""
    url = copy_warehouse(base_warehouse(sample_dir, tmp_path_factory), tmp_path / "warehouse.db")
    monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", url)
    return url


def _versions(url: str, year: int, region: str, indicator: str) -> list[tuple[float, bool, int]]:
    rows = query(
        url,
        f"SELECT value, is_current, run_id FROM indicator_value WHERE year = {year} AND region_code = '{region}' "
        f"AND indicator_code = '{indicator}' ORDER BY value_id",
    )
    return [(r["value"], bool(r["is_current"]), r["run_id"]) for r in rows.iter_rows(named=True)]


def _history(*args: str) -> list[dict[str, str]]:
    from edustat.cli import commands  # noqa: F401  (registers the commands)
    from edustat.cli.app import app

    result = CliRunner().invoke(app, ["history", *args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_corrected_county_file_gives_new_values_and_keeps_the_old(warehouse: str, sample_dir: Path, tmp_path: Path) -> None:
    corrected = copy_year(sample_dir, 2020, tmp_path)
    enrollment = corrected / COUNTY_DIR / "在校生.csv"
    preschool = sum(int(r["在校生数"]) for r in read_rows(enrollment) if r["学段"] == "学前")
    age_3_5 = int(read_rows(corrected / COUNTY_DIR / "人口.csv")[0]["3-5岁人口"])
    add_to_cell(enrollment, SCHOOL, "学前", "在校生数", 10)  # the county found 10 children missing in one kindergarten class
    old_ger = 100 * preschool / age_3_5  # 100 × Σ preschool students / age_3_5
    new_ger = 100 * (preschool + 10) / age_3_5

    outcome = yearly_flow(year=2020, input_dir=str(corrected), reason="东乡 correction: 10 preschool children")

    assert outcome.status == "succeeded", outcome.message
    versions = _versions(warehouse, 2020, COUNTY, "preschool_ger")
    assert [v for v, _, _ in versions] == pytest.approx([old_ger, new_ger], abs=STORED)
    assert [current for _, current, _ in versions] == [False, True]
    assert versions[1][2] == outcome.run_id
    # Another county's value is unchanged: the run writes nothing for it, its first row stays current.
    other = _versions(warehouse, 2020, "622921", "preschool_ger")
    assert len(other) == 1 and other[0][1] is True and other[0][2] != outcome.run_id

    rows = _history("--year", "2020", "--indicator", "preschool_ger", "--region", COUNTY)
    assert [r["version"] for r in rows] == ["1", "2"]
    assert float(rows[1]["previous_value"]) == pytest.approx(old_ger, abs=STORED)
    assert float(rows[1]["value"]) == pytest.approx(new_ger, abs=STORED)
    assert float(rows[1]["change"]) == pytest.approx(new_ger - old_ger, abs=2 * STORED)
    assert rows[1]["reason"] == "东乡 correction: 10 preschool children"
    assert (rows[0]["reason"], rows[0]["is_current"], rows[1]["is_current"]) == ("first load", "false", "true")

    first_run = int(rows[0]["run_id"])
    moved = _history("--year", "2020", "--run", str(first_run), "--run", str(outcome.run_id))
    moved_keys = {(r["region_code"], r["indicator_code"]) for r in moved}
    assert (COUNTY, "preschool_ger") in moved_keys
    assert ("622921", "preschool_ger") not in moved_keys  # unchanged values are not listed
    assert {r["region_code"] for r in moved} <= {COUNTY, "622900", "620000"}  # only the county and the levels above it move


def test_rerun_of_a_year_refreshes_the_next_years_growth(warehouse: str, sample_dir: Path, tmp_path: Path) -> None:
    corrected = copy_year(sample_dir, 2019, tmp_path)
    funding_2019 = corrected / COUNTY_DIR / "经费.csv"
    budget_2019 = sum(float(r["一般公共预算教育支出"]) for r in read_rows(funding_2019))
    budget_2020 = sum(float(r["一般公共预算教育支出"]) for r in read_rows(sample_dir / "2020" / COUNTY_DIR / "经费.csv"))
    add_to_cell(funding_2019, SCHOOL, "学前", "一般公共预算教育支出", 50.0)  # 50 (10k yuan) left out of the 2019 return
    old_growth = 100 * (budget_2020 / budget_2019 - 1)  # 100 × (this year / previous year − 1)
    new_growth = 100 * (budget_2020 / (budget_2019 + 50.0) - 1)

    outcome = yearly_flow(year=2019, input_dir=str(corrected), reason="东乡 2019 budget corrected")

    assert outcome.status == "succeeded", outcome.message
    versions = _versions(warehouse, 2020, COUNTY, "budget_total_growth")
    assert [v for v, _, _ in versions] == pytest.approx([old_growth, new_growth], abs=STORED)
    assert [current for _, current, _ in versions] == [False, True]
    assert versions[1][2] == outcome.run_id  # the refresh is written by the 2019 rerun
    # Only growth indicators of 2020 get a new version; its other values keep their one version.
    assert len(_versions(warehouse, 2020, COUNTY, "preschool_ger")) == 1
    message = query(warehouse, f"SELECT message FROM etl_run WHERE run_id = {outcome.run_id}")["message"][0]
    assert "growth indicators of 2020" in message
