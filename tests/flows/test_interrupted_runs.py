"""Ctrl-C and a stop signal during `edustat run`: one sentence, exit 130/143, the run failed in etl_run and in Prefect, nothing changed, the year free at once.

`edustat run` is started in its own session (a process group, as a terminal's foreground job) and
held at a pause point (runtime/pause_points.py): ``parsing`` (a file about to be read, in a parse worker
process: EDUSTAT_PARSE_PROCESSES=2), ``after_tables`` (the school tables written, inside the load),
``after_values`` (the new version of the values written, not committed). Then SIGINT goes to the
whole group (what Ctrl-C does: the parse workers get it too) or SIGTERM to the main process only
(what a service manager or `timeout` does).

Process runs cost half a minute or more each on a busy machine, so there are seven: SQLite takes SIGINT at
every moment and SIGTERM while parsing (the workers do not get it: the parent must stop them) and after
the values (after_tables and after_values leave the main process in the same place, the load's
transaction); PostgreSQL one moment per signal (SIGINT while parsing, SIGTERM after the values).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

import pytest
from polars.testing import assert_frame_equal
from rerun_data import COUNTY_DIR, DUPLICATES_SQL, SCHOOL, add_to_cell, copy_warehouse, copy_year, query, snapshot

from tests.conftest import POSTGRES_ENV, fresh_warehouse

if TYPE_CHECKING:
    from tests.flows.conftest import LoadedSample

pytestmark = pytest.mark.system

EDUSTAT = str(Path(sys.executable).with_name("edustat"))
SENTENCES = {
    signal.SIGINT: "interrupted by the user (Ctrl-C) / 已被用户中断",
    signal.SIGTERM: "stopped by a signal (SIGTERM) / 已被终止信号停止",
}
"""Written here, not imported: the test holds the words the user must read."""
CURRENT = "the previous version of 2020 stays current / 2020 年的上一版本仍为当前版本"

_PG = os.environ.get(POSTGRES_ENV)
_NO_PG = pytest.mark.skipif(_PG is None, reason=f"{POSTGRES_ENV} not set: PostgreSQL runs in .ci/run")

CASES = [
    pytest.param("sqlite", "parsing", signal.SIGINT, id="sqlite-parsing-SIGINT"),
    pytest.param("sqlite", "after_tables", signal.SIGINT, id="sqlite-after_tables-SIGINT"),
    pytest.param("sqlite", "after_values", signal.SIGINT, id="sqlite-after_values-SIGINT"),
    pytest.param("sqlite", "parsing", signal.SIGTERM, id="sqlite-parsing-SIGTERM"),
    pytest.param("sqlite", "after_values", signal.SIGTERM, id="sqlite-after_values-SIGTERM"),
    pytest.param("postgres", "parsing", signal.SIGINT, id="postgres-parsing-SIGINT", marks=_NO_PG),
    pytest.param("postgres", "after_values", signal.SIGTERM, id="postgres-after_values-SIGTERM", marks=_NO_PG),
]


class StoppedRun:
    """`edustat run` in its own process group, held at a pause point until a signal stops it."""

    def __init__(self, input_dir: Path, point: str, folder: Path, env: dict[str, str]) -> None:
        self.point, self.folder = point, folder
        folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [EDUSTAT, "run", "--year", "2020", "--input", str(input_dir), "--reason", f"stopped at {point}"],
            env={**os.environ, **env, "EDUSTAT_TEST_PAUSE_AT": point, "EDUSTAT_TEST_PAUSE_DIR": str(folder)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def wait_until_paused(self, timeout_s: float = 300) -> None:
        deadline = time.monotonic() + timeout_s
        while not (self.folder / f"{self.point}.reached").exists():
            if self.process.poll() is not None:
                raise AssertionError(f"edustat run ended before {self.point}: {self.process.stdout.read()}")  # type: ignore[union-attr]
            assert time.monotonic() < deadline, f"edustat run did not reach {self.point} in {timeout_s} s"
            time.sleep(0.05)

    def stop(self, signum: int) -> tuple[int, str, float]:
        """SIGINT to the whole group (Ctrl-C), SIGTERM to the main process; its exit code, output and seconds from signal to exit."""
        started = time.monotonic()
        if signum == signal.SIGINT:
            os.killpg(self.process.pid, signum)
        else:
            self.process.send_signal(signum)
        # The output ends when every process that holds it (parse workers included) is gone.
        output, _ = self.process.communicate(timeout=120)
        return self.process.returncode, output, time.monotonic() - started

    def group_is_gone(self) -> bool:
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return True
        return False

    def wait_for_group(self, timeout_s: float) -> bool:
        """Whether every process of the run's group has ended within ``timeout_s`` (zombies reaped by init count as ended)."""
        deadline = time.monotonic() + timeout_s
        while not self.group_is_gone():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True

    def kill_group(self) -> None:
        if not self.group_is_gone():
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)


@pytest.fixture
def corrected_2020(sample_dir: Path, tmp_path: Path) -> Path:
    """2020 with one school's enrolment changed: a rerun over a loaded 2020 writes a new version."""
    year = copy_year(sample_dir, 2020, tmp_path)
    add_to_cell(year / COUNTY_DIR / "在校生.csv", SCHOOL, "学前", "在校生数", 10)
    return year


@pytest.fixture
def warehouse(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    kind = request.param
    with fresh_warehouse(_PG if kind == "postgres" else "sqlite", tmp_path) as url:
        yield url


@pytest.fixture
def stack() -> Iterator[ExitStack]:
    """What the test enters and leaves when it ends (a copied warehouse)."""
    with ExitStack() as stack:
        yield stack


def _loaded(kind: str, loaded_sample: LoadedSample, stack: ExitStack, tmp_path: Path) -> str:
    """A private copy of the session's warehouse of ``kind`` with the sample's 2019 and 2020 loaded (tests/flows/conftest.py)."""
    if kind == "sqlite":
        return copy_warehouse(Path(loaded_sample.template("sqlite").removeprefix("sqlite:///")), tmp_path / "loaded.db")
    return stack.enter_context(loaded_sample.copy(_PG, tmp_path / "loaded"))


def _slots_and_holders(year: int) -> tuple[list[int], list[object]]:
    from prefect.client.orchestration import get_client

    from runtime.slot_holders import read_holder
    from runtime.year_slot import year_limit_names

    with get_client(sync_client=True) as client:
        names = year_limit_names(year)
        slots = [client.read_global_concurrency_limit_by_name(name).active_slots for name in names]
        holders = [read_holder(client, name) for name in names]
    return slots, [h for h in holders if h is not None]


def _prefect_state(flow_run_id: str) -> tuple[str, str]:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        state = client.read_flow_run(UUID(flow_run_id)).state
    assert state is not None
    return state.type.value, state.message or ""


@pytest.mark.parametrize(("warehouse", "point", "signum"), CASES, indirect=["warehouse"])
def test_a_stopped_run_says_so_is_failed_everywhere_changes_nothing_and_frees_the_year(
    warehouse: str,
    point: str,
    signum: int,
    sample_dir: Path,
    corrected_2020: Path,
    loaded_sample: LoadedSample,
    stack: ExitStack,
    tmp_path: Path,
    prefect_api_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kind = "postgres" if warehouse.startswith("postgresql") else "sqlite"
    if point == "parsing":
        # A first load of the year: the whole year is read, its load open (and its slot held) while the files parse.
        url, input_dir, before = warehouse, sample_dir / "2020", None
    else:
        (tmp_path / "loaded").mkdir()
        url, input_dir = _loaded(kind, loaded_sample, stack, tmp_path), corrected_2020
        before = snapshot(url)
    env = {
        "PREFECT_API_URL": prefect_api_url,
        "EDUSTAT_WAREHOUSE_URL": url,
        "EDUSTAT_LOCK_TIMEOUT_S": "600",
        "EDUSTAT_PARSE_PROCESSES": "2",
        # Every batch read again (not taken from Prefect's cache of an earlier test), so that the parse pauses in a worker.
        "PREFECT_TASKS_REFRESH_CACHE": "true",
    }
    run = StoppedRun(input_dir, point, tmp_path / "pause", env)
    try:
        run.wait_until_paused()
        code, output, took_s = run.stop(signum)
        # No parse worker left behind (the multiprocessing resource tracker ends a moment after its parent).
        gone = run.wait_for_group(10)
    finally:
        run.kill_group()
    print(f"{kind} {point} {signal.Signals(signum).name}: exit {code} {took_s:.2f} s after the signal")

    assert "Traceback" not in output, output
    assert SENTENCES[signum] in output and CURRENT in output, output
    assert code == 128 + signum, output
    assert gone, "processes of the run's group were still there 10 s after it ended"

    rows = query(url, "SELECT run_id, status, message, flow_run_id FROM etl_run WHERE reason LIKE 'stopped at %'").rows()
    assert [(status, message) for _, status, message, _ in rows] == [("failed", SENTENCES[signum])]
    assert _prefect_state(rows[0][3]) [0] == "FAILED"
    assert SENTENCES[signum] in _prefect_state(rows[0][3])[1]
    assert _slots_and_holders(2020) == ([0, 0], [])

    if before is None:
        assert query(url, "SELECT COUNT(*) AS n FROM indicator_value").item() == 0
        assert query(url, "SELECT COUNT(*) AS n FROM enrollment").item() == 0
    else:
        after = snapshot(url)
        assert_frame_equal(after["current"], before["current"])
        assert_frame_equal(after["enrollment"], before["enrollment"])

    # The next run of the year goes ahead at once: a lock timeout far beyond the lease, so that waiting would show.
    from flows.yearly import yearly_flow

    monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", url)
    monkeypatch.setenv("EDUSTAT_LOCK_TIMEOUT_S", "600")
    started = time.monotonic()
    outcome = yearly_flow(year=2020, input_dir=str(input_dir), reason="after the stop")
    print(f"the next run took {time.monotonic() - started:.1f} s")
    assert outcome.status == "succeeded", outcome.message
    assert query(url, DUPLICATES_SQL).is_empty()
