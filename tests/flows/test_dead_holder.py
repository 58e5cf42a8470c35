"""A loader killed while it holds the year: the next run of that year takes its slot over at once, not when the lease ends.

`edustat run` is stopped inside its load (holding the year's Prefect slot, the warehouse's lock,
its etl_run row 'running') and SIGKILLed; the next run of the year is given a lock timeout far
beyond the lease, so that only taking the dead run's slot over lets it finish within the lease.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rerun_data import DUPLICATES_SQL, PausedRun, query

from flows.yearly import yearly_flow
from runtime.year_slot import SLOT_LEASE_S

pytestmark = pytest.mark.system

LOCK_TIMEOUT_S = "600"
"""Far beyond the lease: a run that only waited would take minutes."""


def test_the_next_run_takes_over_the_slot_of_a_killed_loader(
    warehouse_url: str, sample_dir: Path, tmp_path: Path, prefect_api_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"PREFECT_API_URL": prefect_api_url, "EDUSTAT_WAREHOUSE_URL": warehouse_url, "EDUSTAT_LOCK_TIMEOUT_S": LOCK_TIMEOUT_S}
    killed = PausedRun(2020, sample_dir / "2020", "before_commit", tmp_path / "pause", env)
    try:
        killed.wait_until_paused()
    finally:
        killed.kill()

    monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", warehouse_url)
    monkeypatch.setenv("EDUSTAT_LOCK_TIMEOUT_S", LOCK_TIMEOUT_S)
    started = time.monotonic()
    outcome = yearly_flow(year=2020, input_dir=str(sample_dir / "2020"), reason="after the kill")
    took_s = time.monotonic() - started

    assert outcome.status == "succeeded", outcome.message
    assert took_s < SLOT_LEASE_S, f"the run took {took_s:.1f} s"
    statuses = query(warehouse_url, "SELECT reason, status FROM etl_run ORDER BY run_id").rows()
    assert statuses == [("paused at before_commit", "failed"), ("after the kill", "succeeded")]
    assert query(warehouse_url, DUPLICATES_SQL).is_empty()
