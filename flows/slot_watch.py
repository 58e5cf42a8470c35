"""The year's concurrency slot (runtime.year_slot) wired to the warehouse: which runs may hold it, whether a holder's run
is over, how long to wait and what to raise when a live run keeps it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import polars as pl

from runtime.host_processes import is_gone_from_this_host
from runtime.slot_holders import SlotHolder
from runtime.year_slot import SlotWatch, hold_year_slot, holder_years
from warehouse import read
from warehouse.engine import write_transaction
from warehouse.errors import WarehouseBusyError
from warehouse.lock import busy_message
from warehouse.resource import Warehouse
from warehouse.runs import fail_dead_runs, get_run


@contextmanager
def year_slot(warehouse: Warehouse, year: int, run_id: int) -> Iterator[None]:
    """Hold the Prefect slots of ``year`` (and year + 1) while the body loads; WarehouseBusyError after the warehouse's lock timeout when a live run holds them."""
    with hold_year_slot(year, run_id, slot_watch(warehouse, year, run_id)):
        yield


def slot_watch(warehouse: Warehouse, year: int, run_id: int) -> SlotWatch:
    """What run ``run_id`` of ``year`` asks of ``warehouse`` while the year's slot is taken."""
    return SlotWatch(
        wait_s=warehouse.lock_timeout_s,
        run_status=lambda holder: holder_run_status(warehouse, holder),
        has_live_loader=lambda: has_live_loader(warehouse, year, run_id),
        busy_error=lambda waited_s: WarehouseBusyError(busy_message(year, waited_s, sqlite=False)),
    )


def has_live_loader(warehouse: Warehouse, year: int, run_id: int) -> bool:
    """Whether a run other than ``run_id`` that could hold ``year``'s slots is still running (dead ones are marked failed first)."""
    engine, wait_s = warehouse.engine, warehouse.lock_timeout_s
    years = holder_years(year)
    # A live loader mid-transaction holds SQLite's write lock: waiting longer than the caller would is pointless.
    with write_transaction(engine, wait_s, busy_message=busy_message(year, wait_s, sqlite=True)) as conn:
        for each in years:
            fail_dead_runs(conn, each, f"run {run_id} of {year}", is_gone=is_gone_from_this_host)
    running = pl.concat([read.runs(engine, each) for each in years], how="vertical_relaxed").filter(
        (pl.col("status") == "running") & (pl.col("run_id") != run_id)
    )
    return running.height > 0


def holder_run_status(warehouse: Warehouse, holder: SlotHolder) -> str | None:
    """The etl_run status of the run that recorded ``holder``; None without a row whose host and pid match (another warehouse may share the server)."""
    row = get_run(warehouse.engine, holder.run_id)
    return row["status"] if row is not None and (row["host"], row["pid"]) == (holder.host, holder.pid) else None
