"""The year's Prefect concurrency slot around a load: one loader of a year at a time, and the waiting ones visible in Prefect.

Prefect 3 global concurrency limits must exist before slots can be taken (an unknown limit is
skipped), so the limits are created on first use with one slot each; a limit an operator already
made (or resized) is left as it is. The warehouse's own year lock stays the arbiter of what gets
written; the slot adds queueing and visibility on the Prefect server.

A slot is held under a lease that the loader renews, and the loader records the lease beside the
limit (tasks.slot_holders). A loader killed outright (SIGKILL, power cut) cannot give its slot
back; a run that finds the slot taken frees it at once when the recorded holder is known to be
gone (its process is no longer alive on this host, or its etl_run row is no longer 'running').
Without a record (a loader killed in the instant between taking the slot and recording it), the
server takes the slot back when the lease runs out (``SLOT_LEASE_S`` plus the repossessor's
interval): a run that finds no live run that could hold it waits for that instead of reporting
the year as busy.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

import polars as pl
from prefect.client.orchestration import SyncPrefectClient
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

from edustat.prefect_api import api_client
from edustat.processes import is_gone_from_this_host, is_run_gone
from edustat.settings import Settings
from tasks.slot_holders import SlotHolder, forget_holder, read_holders, record_holder
from tasks.slot_lease import lease_logger, release_lease, renewed, take_slots
from warehouse import read
from warehouse.engine import get_engine, write_transaction
from warehouse.errors import WarehouseBusyError
from warehouse.lock import busy_message
from warehouse.runs import fail_dead_runs, get_run

LIMIT_PREFIX = "edustat-year-"
SLOT_LEASE_S = 60.0
"""Lease of a held slot (the server's minimum); renewed while the load runs."""

DEAD_HOLDER_WAIT_S = SLOT_LEASE_S + 30.0
"""How long to wait for a dead loader's lease to run out: the lease plus the repossessor's 15 s loop, with margin."""

POLL_S = 0.25
"""Between two tries for a taken slot."""

HOLDER_CHECK_S = 1.0
"""Between two looks at whether the recorded holder of a taken slot is gone (a warehouse read per holder)."""


def year_limit_names(year: int) -> list[str]:
    """The concurrency limits a load of ``year`` occupies: its own and year + 1's, whose growth values it may refresh."""
    return [f"{LIMIT_PREFIX}{year}", f"{LIMIT_PREFIX}{year + 1}"]


def holder_years(year: int) -> tuple[int, int, int]:
    """The years whose runs can hold a slot ``year``'s load needs: year − 1 (its year + 1 is ours), year, year + 1."""
    return (year - 1, year, year + 1)


def ensure_limits(names: list[str]) -> None:
    """Create each named global concurrency limit with one slot unless it exists."""
    with api_client() as client:
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
            fail_dead_runs(conn, each, f"run {run_id} of {year}", is_gone=is_gone_from_this_host)
    running = pl.concat([read.runs(engine, each) for each in years], how="vertical_relaxed").filter(
        (pl.col("status") == "running") & (pl.col("run_id") != run_id)
    )
    return running.height > 0


def is_holder_gone(settings: Settings, holder: SlotHolder) -> bool:
    """Whether the run that recorded ``holder`` is known to be over (its etl_run row counts only when host and pid match: another warehouse may share the server)."""
    row = get_run(get_engine(settings.warehouse_url), holder.run_id)
    status = row["status"] if row is not None and (row["host"], row["pid"]) == (holder.host, holder.pid) else None
    return is_run_gone(holder.host, holder.pid, status)


def free_gone_holders(client: SyncPrefectClient, settings: Settings, names: list[str], year: int) -> int:
    """Give back the slots of every recorded holder of ``names`` whose run is over; returns how many leases were freed."""
    freed = 0
    for holder in read_holders(client, names):
        if not is_holder_gone(settings, holder):
            continue
        lease_logger().warning(
            "the concurrency slot of %d was held by run %d (pid %d on %s), which is gone: slot given back",
            year,
            holder.run_id,
            holder.pid,
            holder.host,
        )
        release_lease(client, UUID(holder.lease_id))
        forget_holder(client, names, holder.lease_id)
        freed += 1
    return freed


def wait_for_slots(client: SyncPrefectClient, settings: Settings, year: int, run_id: int, names: list[str]) -> UUID:
    """A lease on one slot of each of ``names``: freeing gone holders' slots as it waits; WarehouseBusyError when a live run keeps them.

    It waits up to ``settings.lock_timeout_s``; when no live run could hold the slots by then, up to
    DEAD_HOLDER_WAIT_S more, for the lease of a holder that left no record to run out.
    """
    deadline = time.monotonic() + settings.lock_timeout_s
    waited_s, extended = settings.lock_timeout_s, False
    next_check = time.monotonic()
    while (lease_id := take_slots(client, names, SLOT_LEASE_S)) is None:
        now = time.monotonic()
        if now >= next_check:
            next_check = now + HOLDER_CHECK_S
            if free_gone_holders(client, settings, names, year):
                continue
        if now >= deadline:
            if extended or has_live_loader(settings, year, run_id):
                raise WarehouseBusyError(busy_message(year, waited_s, sqlite=False))
            lease_logger().warning(
                "the concurrency slot of %d is held by a run that is gone; waiting up to %g s for its lease to run out", year, DEAD_HOLDER_WAIT_S
            )
            deadline, waited_s, extended = now + DEAD_HOLDER_WAIT_S, DEAD_HOLDER_WAIT_S, True
        time.sleep(POLL_S)
    return lease_id


@contextmanager
def year_slot(settings: Settings, year: int, run_id: int) -> Iterator[None]:
    """Hold the Prefect slots of ``year`` (and year + 1) while the body loads; WarehouseBusyError after ``settings.lock_timeout_s`` when a live run holds them."""
    names = year_limit_names(year)
    ensure_limits(names)
    with api_client() as client:
        lease_id = wait_for_slots(client, settings, year, run_id, names)
        holder = SlotHolder(lease_id=str(lease_id), run_id=run_id, host=socket.gethostname(), pid=os.getpid())
        try:
            record_holder(client, names, holder)
            with renewed(lease_id, SLOT_LEASE_S):
                yield
        finally:
            # A new client: the server has long closed the held one's idle connection, and Prefect's client answers
            # a closed connection with a retry after a back-off of seconds (what a stopped run would wait for).
            with api_client() as fresh:
                give_back(fresh, names, holder)


def give_back(client: SyncPrefectClient, names: list[str], holder: SlotHolder) -> None:
    """Delete ``holder``'s record, then give its slots back; a server that does not answer only delays that until the lease runs out."""
    try:
        # The record goes first: a record that outlives its lease names a finished run, never a live one.
        forget_holder(client, names, holder.lease_id)
        release_lease(client, UUID(holder.lease_id))
    except Exception:  # noqa: BLE001 - the load's own outcome matters more than an unanswered release
        lease_logger().warning("could not give back the concurrency slots of %s", ", ".join(names), exc_info=True)
