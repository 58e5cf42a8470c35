"""The year's Prefect concurrency slot: limits made on first use, one holder at a time, a live holder means busy,
a recorded holder that is gone is taken over at once, an unrecorded dead one is waited out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate, VariableCreate
from prefect.concurrency.sync import concurrency

from flows.slot_watch import year_slot
from runtime.slot_holders import SlotHolder, holder_variable, read_holder, record_holder
from runtime.slot_lease import take_slots
from runtime.year_slot import SLOT_LEASE_S, ensure_limits, holder_years, year_limit_names
from warehouse.engine import get_engine
from warehouse.errors import WarehouseBusyError
from warehouse.migrate import migrate
from warehouse.resource import Warehouse
from warehouse.runs import get_run, start_run

TIMEOUT_S = 0.5


@pytest.fixture(autouse=True)
def _harness(prefect_api_url: str) -> str:
    return prefect_api_url


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    """An empty, migrated SQLite warehouse with a short lock wait."""
    url = f"sqlite:///{tmp_path / 'warehouse.db'}"
    migrate(get_engine(url))
    return Warehouse(url, lock_timeout_s=TIMEOUT_S)


def _active_slots(name: str) -> int:
    with get_client(sync_client=True) as client:
        return client.read_global_concurrency_limit_by_name(name).active_slots


def _limit(name: str) -> int:
    with get_client(sync_client=True) as client:
        return client.read_global_concurrency_limit_by_name(name).limit


class _Holder:
    """Another loader holding the slots of ``year`` on its own thread, for ``hold_s`` seconds or until the block ends."""

    def __init__(self, year: int, hold_s: float = 30.0) -> None:
        ensure_limits(year_limit_names(year))
        self.year, self.hold_s = year, hold_s
        self.held, self.done = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold)

    def _hold(self) -> None:
        with concurrency(year_limit_names(self.year), occupy=1, timeout_seconds=10, strict=True):
            self.held.set()
            self.done.wait(self.hold_s)

    def __enter__(self) -> _Holder:
        self.thread.start()
        assert self.held.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join(10)


def test_names_cover_the_year_and_the_next_whose_growth_it_refreshes() -> None:
    assert year_limit_names(2020) == ["edustat-year-2020", "edustat-year-2021"]
    assert holder_years(2020) == (2019, 2020, 2021)  # a 2019 load also takes edustat-year-2020


def test_limits_are_made_once_with_one_slot_and_an_operators_size_is_kept() -> None:
    with get_client(sync_client=True) as client:
        client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name="edustat-year-1991", limit=3))
    ensure_limits(["edustat-year-1990", "edustat-year-1991"])
    ensure_limits(["edustat-year-1990"])  # a second time is fine
    assert (_limit("edustat-year-1990"), _limit("edustat-year-1991")) == (1, 3)


def test_slot_is_held_during_the_body_and_given_back(warehouse: Warehouse) -> None:
    with year_slot(warehouse, 1995, run_id=1):
        assert [_active_slots(n) for n in year_limit_names(1995)] == [1, 1]
    assert [_active_slots(n) for n in year_limit_names(1995)] == [0, 0]


def test_a_live_holder_makes_the_year_busy(warehouse: Warehouse) -> None:
    engine = get_engine(warehouse.url)
    other = start_run(engine, 2000, "manual", "the other loader", None)  # this process: alive
    with _Holder(1999):  # a 1999 load holds edustat-year-2000 too
        started = time.monotonic()
        with pytest.raises(WarehouseBusyError, match=r"^year 2000 is being loaded by another run; waited 0.5 s"):
            with year_slot(warehouse, 2000, run_id=other + 1):
                pytest.fail("the body must not run while another loader holds the year")
        assert time.monotonic() - started >= TIMEOUT_S
    assert get_run(engine, other)["status"] == "running"  # type: ignore[index]


def test_a_slot_left_by_a_dead_loader_is_waited_out(warehouse: Warehouse) -> None:
    engine = get_engine(warehouse.url)
    dead = start_run(engine, 2005, "manual", "killed loader", None)
    with engine.begin() as conn:  # its process is gone: a pid no process has
        conn.exec_driver_sql(f"UPDATE etl_run SET pid = 4194999 WHERE run_id = {dead}")
    # Its slot frees itself later (here after 2 s; on a server, when its lease runs out).
    with _Holder(2005, hold_s=2.0):
        started = time.monotonic()
        with year_slot(warehouse, 2005, run_id=dead + 1):
            waited_s = time.monotonic() - started
    assert waited_s >= 1.5  # waited past lock_timeout_s (0.5 s) instead of reporting the year busy
    assert get_run(engine, dead)["status"] == "failed"  # type: ignore[index]


HOLD_SCRIPT = """
import sys, time
from warehouse.resource import Warehouse
from flows.slot_watch import year_slot
from warehouse.engine import get_engine
from warehouse.runs import start_run

url, year = sys.argv[1], int(sys.argv[2])
run_id = start_run(get_engine(url), year, "manual", "the holder", None)
with year_slot(Warehouse(url, lock_timeout_s=5), year, run_id):
    print(run_id, flush=True)
    time.sleep(600)
"""


def _hold_in_subprocess(warehouse: Warehouse, year: int, prefect_api_url: str) -> tuple[subprocess.Popen[str], int]:
    """A loader in its own process holding ``year``'s slots (and its etl_run row 'running'); returns it and its run id."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD_SCRIPT, warehouse.url, str(year)],
        env={**os.environ, "PREFECT_API_URL": prefect_api_url},
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()  # type: ignore[union-attr]
    assert line.strip().isdigit(), f"the holder did not take the slot: {line!r}"
    return process, int(line)


@pytest.mark.system
def test_a_recorded_holder_is_waited_for_while_alive_and_taken_over_at_once_when_killed(warehouse: Warehouse, prefect_api_url: str) -> None:
    engine = get_engine(warehouse.url)
    holder, holder_run = _hold_in_subprocess(warehouse, 2010, prefect_api_url)
    try:
        assert _holder_of("edustat-year-2010").run_id == holder_run  # type: ignore[union-attr]
        with pytest.raises(WarehouseBusyError, match=r"^year 2010 is being loaded by another run; waited 0.5 s"):
            with year_slot(warehouse, 2010, run_id=holder_run + 1):
                pytest.fail("the body must not run while a live loader holds the year")
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(30)  # reaped: its pid is gone
    assert get_run(engine, holder_run)["status"] == "running"  # type: ignore[index]  # no one told the warehouse

    started = time.monotonic()
    with year_slot(warehouse, 2010, run_id=holder_run + 1):
        took_s = time.monotonic() - started
        assert [_active_slots(n) for n in year_limit_names(2010)] == [1, 1]  # its own slot, the dead one's given back
    assert took_s < SLOT_LEASE_S  # without the record it would wait for the dead lease to run out (60 s and more)
    assert [_active_slots(n) for n in year_limit_names(2010)] == [0, 0]
    assert _holder_of("edustat-year-2010") is None


def test_a_holder_on_another_host_is_taken_over_only_once_the_warehouse_says_its_run_failed(warehouse: Warehouse) -> None:
    engine = get_engine(warehouse.url)
    other = start_run(engine, 2015, "manual", "a loader elsewhere", None)
    with engine.begin() as conn:  # another host: its process cannot be probed from here
        conn.exec_driver_sql(f"UPDATE etl_run SET host = 'elsewhere', pid = 1 WHERE run_id = {other}")
    names = year_limit_names(2015)
    ensure_limits(names)
    with get_client(sync_client=True) as client:
        lease_id = take_slots(client, names, SLOT_LEASE_S)
        assert lease_id is not None
        record_holder(client, names, SlotHolder(lease_id=str(lease_id), run_id=other, host="elsewhere", pid=1))
    with pytest.raises(WarehouseBusyError):
        with year_slot(warehouse, 2015, run_id=other + 1):
            pytest.fail("a run still 'running' on another host may be alive")
    with engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE etl_run SET status = 'failed' WHERE run_id = {other}")
    started = time.monotonic()
    with year_slot(warehouse, 2015, run_id=other + 1):
        assert time.monotonic() - started < SLOT_LEASE_S
    assert [_active_slots(n) for n in names] == [0, 0]


def test_a_record_edustat_did_not_write_is_ignored() -> None:
    with get_client(sync_client=True) as client:
        client.create_variable(VariableCreate(name=holder_variable("edustat-year-1980"), value={"note": "an operator's"}))
    assert _holder_of("edustat-year-1980") is None


def _holder_of(name: str) -> SlotHolder | None:
    with get_client(sync_client=True) as client:
        return read_holder(client, name)


@pytest.fixture(autouse=True)
def _dispose() -> Iterator[None]:
    yield
    from warehouse.engine import dispose_engines

    dispose_engines()
