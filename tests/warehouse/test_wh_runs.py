"""warehouse/runs.py: opening and closing runs, dead runs, and the fingerprint behind a year."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from wh_data import new_run, staged_tables, values_frame

from runtime.host_processes import is_gone_from_this_host
from schemas.issues import empty_issues
from warehouse.errors import WarehouseError
from warehouse.load import load_year
from warehouse.rejection import record_rejection
from warehouse.runs import current_fingerprint, finish_run, get_run, start_run
from warehouse.schema import etl_run

VALUES = values_frame([("622901", "sum_b", 1.0, 1.0, None)])


def _load(engine: sa.Engine, year: int, fingerprint: str) -> int:
    run_id = new_run(engine, year, fingerprint=fingerprint)
    load_year(engine, run_id, year, VALUES, staged_tables([("6229010001", "一小")]), empty_issues(), 5)
    return run_id


def test_start_run_is_committed_at_once(warehouse: sa.Engine) -> None:
    before = datetime.now(UTC)
    run_id = start_run(warehouse, 2020, "scheduled", "yearly", "abc", "flow-1")
    # A fresh connection sees the row: it was committed, not left in an open transaction.
    with warehouse.connect() as conn:
        row = conn.execute(sa.select(etl_run).where(etl_run.c.run_id == run_id)).mappings().one()
    assert (row["year"], row["status"], row["trigger"], row["reason"], row["input_fingerprint"], row["flow_run_id"]) == (
        2020,
        "running",
        "scheduled",
        "yearly",
        "abc",
        "flow-1",
    )
    assert row["started_at"].tzinfo is not None
    assert before - timedelta(seconds=1) <= row["started_at"] <= datetime.now(UTC) + timedelta(seconds=1)
    assert row["finished_at"] is None
    assert new_run(warehouse, 2020) > run_id


def test_unknown_trigger_and_status_are_refused(warehouse: sa.Engine) -> None:
    with pytest.raises(WarehouseError, match="trigger"):
        start_run(warehouse, 2020, "cron", None, "x", None)
    run_id = new_run(warehouse, 2020)
    with pytest.raises(WarehouseError, match="finishes as"):
        finish_run(warehouse, run_id, "running")


def test_finish_run_closes_with_status_and_message(warehouse: sa.Engine) -> None:
    run_id = new_run(warehouse, 2020)
    finish_run(warehouse, run_id, "failed", message="year 2020 is being loaded by another run; waited 60 s")
    run = get_run(warehouse, run_id)
    assert run is not None
    assert run["status"] == "failed"
    assert run["message"] == "year 2020 is being loaded by another run; waited 60 s"
    assert run["finished_at"] >= run["started_at"]


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _set(engine: sa.Engine, run_id: int, **values: object) -> None:
    with engine.begin() as conn:
        conn.execute(sa.update(etl_run).where(etl_run.c.run_id == run_id).values(**values))


def test_runs_left_by_dead_processes_are_failed_at_the_next_start(warehouse: sa.Engine) -> None:
    dead = new_run(warehouse, 2020)
    _set(warehouse, dead, pid=_dead_pid())
    stale = new_run(warehouse, 2020)
    _set(warehouse, stale, host="another-host", started_at=datetime.now(UTC) - timedelta(days=2))
    alive = new_run(warehouse, 2020)  # this process: alive
    elsewhere = new_run(warehouse, 2020)
    _set(warehouse, elsewhere, host="another-host", pid=1)  # recent, on a host we cannot probe
    other_year = new_run(warehouse, 2019)
    _set(warehouse, other_year, pid=_dead_pid())

    start_run(warehouse, 2020, "manual", "test", "fp", None, is_gone=is_gone_from_this_host)

    status = {run_id: get_run(warehouse, run_id)["status"] for run_id in (dead, stale, alive, elsewhere, other_year)}  # type: ignore[index]
    assert status == {dead: "failed", stale: "failed", alive: "running", elsewhere: "running", other_year: "running"}
    assert "is gone" in get_run(warehouse, dead)["message"]  # type: ignore[index]
    assert get_run(warehouse, alive)["host"] == socket.gethostname()  # type: ignore[index]
    assert get_run(warehouse, alive)["pid"] == os.getpid()  # type: ignore[index]


def test_current_fingerprint_is_that_of_the_last_load(warehouse: sa.Engine) -> None:
    assert current_fingerprint(warehouse, 2020) is None
    _load(warehouse, 2020, "first")
    assert current_fingerprint(warehouse, 2020) == "first"
    # A rejected, failed or unchanged run does not change what the current values came from.
    rejected = new_run(warehouse, 2020, fingerprint="broken")
    record_rejection(warehouse, rejected, 2020, empty_issues(), "no")
    failed = new_run(warehouse, 2020, fingerprint="crashed")
    finish_run(warehouse, failed, "failed")
    assert current_fingerprint(warehouse, 2020) == "first"
    _load(warehouse, 2020, "second")
    assert current_fingerprint(warehouse, 2020) == "second"
    assert current_fingerprint(warehouse, 2021) is None
