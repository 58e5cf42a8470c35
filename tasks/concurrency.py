"""The year's Prefect concurrency slot around a load: one loader of a year at a time, and the waiting ones visible in Prefect.

Prefect 3 global concurrency limits must exist before slots can be taken (an unknown limit is
skipped with a warning), so the limits are created on first use with one slot each; a limit an
operator already made (or resized) is left as it is. The warehouse's own year lock stays the
arbiter of what gets written; the slot adds queueing and visibility on the Prefect server.

A slot is held under a lease that the loader renews. A loader killed outright (SIGKILL, power
cut) cannot release its slot: the server takes it back when the lease runs out
(``SLOT_LEASE_S`` plus the server's repossessor interval). A run that finds the slot taken first
asks the warehouse whether any live run could hold it; if none can, it waits for that lease to
run out instead of reporting the year as busy.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import polars as pl
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from prefect.concurrency.sync import concurrency
from prefect.exceptions import MissingContextError, ObjectAlreadyExists, ObjectNotFound
from prefect.logging import get_logger, get_run_logger

from edustat.settings import Settings
from warehouse import read
from warehouse.engine import get_engine, write_transaction
from warehouse.errors import WarehouseBusyError
from warehouse.load import busy_message
from warehouse.runs import fail_dead_runs

LIMIT_PREFIX = "edustat-year-"
SLOT_LEASE_S = 60.0
"""Lease of a held slot (the server's minimum); renewed while the load runs."""

DEAD_HOLDER_WAIT_S = SLOT_LEASE_S + 30.0
"""How long to wait for a dead loader's lease to run out: the lease plus the repossessor's 15 s loop, with margin."""


def year_limit_names(year: int) -> list[str]:
    """The concurrency limits a load of ``year`` occupies: its own and year + 1's, whose growth values it may refresh."""
    return [f"{LIMIT_PREFIX}{year}", f"{LIMIT_PREFIX}{year + 1}"]


def holder_years(year: int) -> tuple[int, int, int]:
    """The years whose runs can hold a slot ``year``'s load needs: year − 1 (its year + 1 is ours), year, year + 1."""
    return (year - 1, year, year + 1)


def ensure_limits(names: list[str]) -> None:
    """Create each named global concurrency limit with one slot unless it exists."""
    with get_client(sync_client=True) as client:
        for name in names:
            try:
                client.read_global_concurrency_limit_by_name(name)
            except ObjectNotFound:
                try:
                    client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=1))
                except ObjectAlreadyExists:
                    pass  # another run created it between the read and the create


def has_live_loader(settings: Settings, year: int, run_id: int) -> bool:
    """Whether a run other than ``run_id`` that could hold ``year``'s slots is still running (dead ones are marked failed first)."""
    engine = get_engine(settings.warehouse_url)
    years = holder_years(year)
    # A live loader mid-transaction holds SQLite's write lock: waiting longer than the caller would is pointless.
    with write_transaction(engine, settings.lock_timeout_s, busy_message=busy_message(year, settings.lock_timeout_s, sqlite=True)) as conn:
        for each in years:
            fail_dead_runs(conn, each, f"run {run_id} of {year}")
    running = pl.concat([read.runs(engine, each) for each in years], how="vertical_relaxed").filter(
        (pl.col("status") == "running") & (pl.col("run_id") != run_id)
    )
    return running.height > 0


@contextmanager
def _occupy(names: list[str], year: int, timeout_s: float) -> Iterator[None]:
    """One slot of each limit for the body; WarehouseBusyError when they stay taken for ``timeout_s``."""
    with ExitStack() as stack:
        try:
            stack.enter_context(concurrency(names, occupy=1, timeout_seconds=timeout_s, lease_duration=SLOT_LEASE_S, strict=False))
        except TimeoutError:
            raise WarehouseBusyError(busy_message(year, timeout_s, sqlite=False)) from None
        yield


@contextmanager
def year_slot(settings: Settings, year: int, run_id: int) -> Iterator[None]:
    """Hold the Prefect slots of ``year`` (and year + 1) while the body loads; WarehouseBusyError after ``settings.lock_timeout_s`` when a live run holds them."""
    names = year_limit_names(year)
    ensure_limits(names)
    with ExitStack() as stack:
        try:
            stack.enter_context(_occupy(names, year, settings.lock_timeout_s))
        except WarehouseBusyError:
            if has_live_loader(settings, year, run_id):
                raise
            _logger().warning(
                "the concurrency slot of %d is held by a run that is gone; waiting up to %g s for its lease to run out",
                year,
                DEAD_HOLDER_WAIT_S,
            )
            stack.enter_context(_occupy(names, year, DEAD_HOLDER_WAIT_S))
        yield


def _logger() -> logging.Logger | logging.LoggerAdapter:
    try:
        return get_run_logger()
    except MissingContextError:
        return get_logger("edustat.concurrency")
