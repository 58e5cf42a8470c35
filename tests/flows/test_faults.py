"""Loads that die half-way and loads that collide: the previous version survives, one current row per key, the next run succeeds.

The kills are deterministic: `edustat run` is started with EDUSTAT_TEST_PAUSE_AT naming a point
inside the load transaction (runtime/pause_points.py), and SIGKILLed once it reports it got there.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from rerun_data import COUNTY_DIR, DUPLICATES_SQL, SCHOOL, PausedRun, add_to_cell, base_warehouse, copy_warehouse, copy_year, free_year_slots, query, snapshot

from flows.yearly import yearly_flow

KILL_POINTS = [(2020, "after_values"), (2019, "after_growth"), (2020, "before_commit")]
"""Where the load dies, in this order: new values in, old ones flipped; year + 1's growth refreshed; run marked succeeded. All uncommitted."""


@pytest.fixture
def corrected(sample_dir: Path, tmp_path: Path) -> dict[int, Path]:
    """2019 and 2020 with one school's figures changed, so that a rerun loads a new version instead of a no-op."""
    years = {year: copy_year(sample_dir, year, tmp_path) for year in (2019, 2020)}
    add_to_cell(years[2019] / COUNTY_DIR / "经费.csv", SCHOOL, "学前", "一般公共预算教育支出", 50.0)
    add_to_cell(years[2020] / COUNTY_DIR / "在校生.csv", SCHOOL, "学前", "在校生数", 10)
    return years


def _run_status(url: str, reason: str) -> list[str]:
    return query(url, f"SELECT status FROM etl_run WHERE reason = '{reason}' ORDER BY run_id")["status"].to_list()


@pytest.mark.system
def test_killed_loads_keep_the_previous_version_and_the_next_run_succeeds(
    sample_dir: Path,
    corrected: dict[int, Path],
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
    prefect_api_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = base_warehouse(sample_dir, tmp_path_factory)
    before = snapshot(f"sqlite:///{base}")
    # One warehouse copy per kill point, all processes started at once to share their start-up time;
    # they queue on the year's Prefect slot, so they reach their pause points one after the other.
    urls, runs = {}, []
    for year, point in KILL_POINTS:
        urls[point] = copy_warehouse(base, tmp_path / f"{point}.db")
        env = {"PREFECT_API_URL": prefect_api_url, "EDUSTAT_WAREHOUSE_URL": urls[point], "EDUSTAT_LOCK_TIMEOUT_S": "300"}
        runs.append(PausedRun(year, corrected[year], point, tmp_path / point, env))
    try:
        for run in _in_pause_order(runs):
            run.kill()
            after = snapshot(urls[run.point])
            assert_frame_equal(after["current"], before["current"])  # every current value as before, same run ids
            assert_frame_equal(after["enrollment"], before["enrollment"])  # the school tables too
            assert query(urls[run.point], DUPLICATES_SQL).is_empty()
            assert _run_status(urls[run.point], f"paused at {run.point}") == ["running"]  # until the next run of the year
            free_year_slots(run.year)  # what the Prefect server does when the dead run's lease runs out, a minute later
    finally:
        for run in runs:
            if run.process.poll() is None:
                run.kill()

    # The next run succeeds where the load died last (2020) and where it died refreshing next year's growth (2019).
    for year, point in ((2020, "before_commit"), (2019, "after_growth")):
        monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", urls[point])
        outcome = yearly_flow(year=year, input_dir=str(corrected[year]), reason="after the kill")
        assert outcome.status == "succeeded", outcome.message
        assert query(urls[point], DUPLICATES_SQL).is_empty()
        assert _run_status(urls[point], f"paused at {point}") == ["failed"]  # marked by the next run of its year
        current = query(
            urls[point],
            f"SELECT COUNT(*) AS n, SUM(CASE WHEN run_id = {outcome.run_id} THEN 1 ELSE 0 END) AS written "
            f"FROM indicator_value WHERE is_current AND year = {year}",
        )
        assert current["n"][0] == before["current"].filter(pl.col("year") == year).height  # every value of the year current once
        # The run wrote exactly the values it changed (the corrected school moves some); the others keep their rows.
        assert current["written"][0] == outcome.values_changed + outcome.values_added > 0


def _in_pause_order(runs: list[PausedRun]) -> Iterator[PausedRun]:
    """Each run as it reaches its pause point (only one can: the others wait for the year's slot)."""
    waiting = list(runs)
    deadline = time.monotonic() + 180
    while waiting:
        for run in waiting:
            if run.has_paused():
                waiting.remove(run)
                yield run
                break
        else:
            assert time.monotonic() < deadline, "no run reached its pause point"
            time.sleep(0.05)


FIRST = "first-run"
"""The thread of the run that gets there first; only it stops at the pause point."""


def test_two_runs_of_one_year_wait_or_fail_cleanly(warehouse_url: str, sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", warehouse_url)
    monkeypatch.setenv("EDUSTAT_LOCK_TIMEOUT_S", "1")
    paused, release = threading.Event(), threading.Event()

    def pause_first_run(name: str) -> None:
        if name == "before_commit" and threading.current_thread().name == FIRST:
            paused.set()
            release.wait(60)

    monkeypatch.setattr("tasks.warehouse.pause_point", pause_first_run)
    outcomes = {}
    input_dir = str(sample_dir / "2020")
    first = threading.Thread(
        name=FIRST, target=lambda: outcomes.setdefault("first", yearly_flow(year=2020, input_dir=input_dir, reason="first"))
    )
    first.start()
    assert paused.wait(120), "the first run never reached its load"  # it holds the year's lock and Prefect slot now
    sqlite = warehouse_url.startswith("sqlite")
    # SQLite: the second run queues behind the first one's write lock until that is let go 2 s later.
    # PostgreSQL: the second run reads and computes alongside, then finds the year taken and gives up after 1 s.
    timer = threading.Timer(2.0 if sqlite else 60.0, release.set)
    timer.start()
    started = time.monotonic()
    try:
        second = yearly_flow(year=2020, input_dir=input_dir, reason="second")
    finally:
        waited_s = time.monotonic() - started
        timer.cancel()
        release.set()
        first.join(60)

    assert outcomes["first"].status == "succeeded", outcomes["first"].message
    if sqlite:
        assert waited_s >= 2.0
        assert second.status == "unchanged"  # it saw the first run's version of the very same files
    else:
        assert second.status == "failed"
        assert second.message is not None and "year 2020 is being loaded by another run; waited 1 s" in second.message
    assert query(warehouse_url, DUPLICATES_SQL).is_empty()
    versions = query(warehouse_url, "SELECT COUNT(DISTINCT run_id) AS runs FROM indicator_value")
    assert versions["runs"][0] == 1  # one version: the first run's


def test_an_unexpected_error_in_the_flow_keeps_its_type_and_logs_its_traceback(
    sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    import sqlalchemy as sa
    from prefect import task

    import flows.yearly as yearly

    @task
    def broken_plan(*_: object, **__: object) -> None:
        raise KeyError("county_code")

    monkeypatch.setattr(yearly, "plan_run", broken_plan)
    url = f"sqlite:///{tmp_path / 'w.db'}"
    monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", url)
    with caplog.at_level(logging.ERROR):
        outcome = yearly.yearly_flow(year=2020, input_dir=str(sample_dir / "2020"))
    assert (outcome.status, outcome.message) == ("failed", "KeyError: 'county_code'")
    with sa.create_engine(url).connect() as conn:
        assert conn.execute(sa.text("SELECT status, message FROM etl_run")).one() == ("failed", "KeyError: 'county_code'")
    logged = [r for r in caplog.records if r.exc_info and "failed: KeyError" in r.getMessage()]
    assert logged and "broken_plan" in "".join(__import__("traceback").format_exception(*logged[0].exc_info))
