"""warehouse/load.py locking: one loader per year; a second one waits, then gives up with WarehouseBusyError."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa
from wh_data import new_run, staged_tables, values_frame

from schemas.issues import empty_issues
from warehouse.engine import is_sqlite, write_transaction
from warehouse.errors import WarehouseBusyError
from warehouse.load import load_year
from warehouse.lock import ensure_lock_rows, lock_year
from warehouse.read import current_values
from warehouse.runs import get_run

VALUES = values_frame([("622901", "sum_b", 1.0, 1.0, None)])
TIMEOUT_S = 0.4


def _load(engine: sa.Engine, run_id: int, year: int, timeout_s: float) -> None:
    load_year(engine, run_id, year, VALUES, staged_tables([("6229010001", "一小")]), empty_issues(), timeout_s)


def _hold_year_lock(engine: sa.Engine, year: int, held: threading.Event, release: threading.Event) -> None:
    """Another run in the middle of loading ``year``: the lock held until ``release``."""
    ensure_lock_rows(engine, (year,))
    with write_transaction(engine) as conn:
        lock_year(conn, year, 5)
        held.set()
        release.wait(10)


class _Holder:
    """Another run in the middle of loading ``year``, on its own thread and connection, until released."""

    def __init__(self, engine: sa.Engine, year: int) -> None:
        self.held, self.release = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=_hold_year_lock, args=(engine, year, self.held, self.release))

    def __enter__(self) -> _Holder:
        self.thread.start()
        assert self.held.wait(5)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.thread.join()


def test_second_loader_waits_then_raises_busy(warehouse: sa.Engine) -> None:
    run_id = new_run(warehouse, 2020)
    with _Holder(warehouse, 2020):
        started = time.monotonic()
        with pytest.raises(WarehouseBusyError, match=r"^year 2020 is being loaded by another run; waited 0.4 s"):
            _load(warehouse, run_id, 2020, TIMEOUT_S)
        assert time.monotonic() - started >= TIMEOUT_S - 0.01
    assert current_values(warehouse, 2020).height == 0
    # load_year leaves the run open; the flow closes it as failed with the message.
    assert get_run(warehouse, run_id)["status"] == "running"  # type: ignore[index]


def test_loader_waits_for_the_lock_then_loads(warehouse: sa.Engine) -> None:
    run_id = new_run(warehouse, 2020)
    with _Holder(warehouse, 2020) as holder:
        threading.Timer(0.3, holder.release.set).start()
        started = time.monotonic()
        _load(warehouse, run_id, 2020, 5)
        assert time.monotonic() - started >= 0.25
    assert get_run(warehouse, run_id)["status"] == "succeeded"  # type: ignore[index]
    assert current_values(warehouse, 2020).height == 1


def test_postgres_locks_per_year(warehouse: sa.Engine) -> None:
    if is_sqlite(warehouse):
        pytest.skip("SQLite has one writer per file: every year waits (covered above)")
    run_id = new_run(warehouse, 2021)
    with _Holder(warehouse, 2020):
        _load(warehouse, run_id, 2021, TIMEOUT_S)
    assert get_run(warehouse, run_id)["status"] == "succeeded"  # type: ignore[index]
