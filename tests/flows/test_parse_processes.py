"""EDUSTAT_PARSE_PROCESSES: workbooks parsed in worker processes give the values computed in-process, without Prefect."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from polars.testing import assert_frame_equal

from config import load_regions
from edustat.indicators import compute_indicators
from edustat.ingest.stage import stage_year
from edustat.sample import write_sample
from flows.runners import configured_yearly_flow
from schemas.catalogue import load_catalogue
from schemas.rules import load_rules

VALUES_SQL = (
    "SELECT region_code, indicator_code, value, numerator, denominator FROM indicator_value "
    "WHERE year = 2020 AND is_current ORDER BY region_code, indicator_code"
)


def _stored(url: str) -> pl.DataFrame:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return pl.read_database(sa.text(VALUES_SQL), connection)
    finally:
        engine.dispose()


def test_parse_in_worker_processes_stores_the_in_process_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A sample of its own seed: no earlier test has cached the parse of these bytes, so the workers do parse them.
    write_sample(tmp_path / "sample", [2020], seed=7)
    input_dir = tmp_path / "sample" / "2020"
    url = f"sqlite:///{tmp_path / 'warehouse.db'}"
    monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", url)
    monkeypatch.setenv("EDUSTAT_PARSE_PROCESSES", "2")
    outcome = configured_yearly_flow()(year=2020, input_dir=str(input_dir), reason="parse processes test")
    assert outcome.status == "succeeded", outcome.message

    staged, _ = stage_year(input_dir, load_regions(), load_rules())
    expected = compute_indicators(staged, load_regions(), load_rules(), load_catalogue()).values
    expected = expected.select("region_code", "indicator_code", "value", "numerator", "denominator").sort("region_code", "indicator_code")
    assert_frame_equal(_stored(url), expected, check_dtypes=False)
