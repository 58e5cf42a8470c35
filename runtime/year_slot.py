"""The year's Prefect concurrency slot around a load: one loader of a year at a time, and the waiting ones visible in Prefect.

Prefect 3 global concurrency limits must exist before slots can be taken (an unknown limit is
skipped), so the limits are created on first use with one slot each; a limit an operator already
made (or resized) is left as it is. The warehouse's own year lock stays the arbiter of what gets
written; the slot adds queueing and visibility on the Prefect server.

A slot is held under a lease that the loader renews, and the loader records the lease beside the
limit (runtime.slot_holders). A loader killed outright (SIGKILL, power cut) cannot give its slot
back; a run that finds the slot taken frees it at once when the recorded holder is known to be
gone (its process is no longer alive on this host, or its etl_run row is no longer 'running').
Without a record (a loader killed in the instant between taking the slot and recording it), the
server takes the slot back when the lease runs out (``SLOT_LEASE_S`` plus the repossessor's
interval): a run that finds no live run that could hold it waits for that instead of reporting
the year as busy.

What the warehouse knows (a holder's etl_run status, whether a live run could hold the slot, the
busy error and how long to wait) comes in as a ``SlotWatch``: runtime/ does not read the warehouse
(flows.slot_watch wires it).
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from uuid import UUID

from prefect.client.orchestration import SyncPrefectClient
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

from runtime.host_processes import is_run_gone
from runtime.prefect_api import api_client
from runtime.slot_holders import SlotHolder, forget_holder, read_holders, record_holder
from runtime.slot_lease import lease_logger, release_lease, renewed, take_slots

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


@dataclass(frozen=True)
class SlotWatch:
    """What the year slot asks of the warehouse while a slot is taken, for one run of one year (passed in by its caller)."""

    wait_s: float
    """How long a live run may keep the slots before the year is reported busy (the warehouse's lock timeout)."""
    run_status: Callable[[SlotHolder], str | None]
    """The etl_run status of a recorded holder's run; None when unknown (no row, or a row of another host or pid)."""
    has_live_loader: Callable[[], bool]
    """Whether another run that could hold the slots is still running (dead ones marked failed first)."""
    busy_error: Callable[[float], Exception]
    """The error raised after waiting that many seconds for slots a live run keeps."""


def is_holder_gone(watch: SlotWatch, holder: SlotHolder) -> bool:
    """Whether the run that recorded ``holder`` is known to be over: its process gone from this host, or its run no longer 'running'."""
    return is_run_gone(holder.host, holder.pid, watch.run_status(holder))


def free_gone_holders(client: SyncPrefectClient, watch: SlotWatch, names: list[str], year: int) -> int:
    """Give back the slots of every recorded holder of ``names`` whose run is over; returns how many leases were freed."""
    freed = 0
    for holder in read_holders(client, names):
        if not is_holder_gone(watch, holder):
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


def wait_for_slots(client: SyncPrefectClient, watch: SlotWatch, year: int, names: list[str]) -> UUID:
    """A lease on one slot of each of ``names``: freeing gone holders' slots as it waits; ``watch.busy_error`` when a live run keeps them.

    It waits up to ``watch.wait_s``; when no live run could hold the slots by then, up to
    DEAD_HOLDER_WAIT_S more, for the lease of a holder that left no record to run out.
    """
    deadline = time.monotonic() + watch.wait_s
    waited_s, extended = watch.wait_s, False
    next_check = time.monotonic()
    while (lease_id := take_slots(client, names, SLOT_LEASE_S)) is None:
        now = time.monotonic()
        if now >= next_check:
            next_check = now + HOLDER_CHECK_S
            if free_gone_holders(client, watch, names, year):
                continue
        if now >= deadline:
            if extended or watch.has_live_loader():
                raise watch.busy_error(waited_s)
            lease_logger().warning(
                "the concurrency slot of %d is held by a run that is gone; waiting up to %g s for its lease to run out", year, DEAD_HOLDER_WAIT_S
            )
            deadline, waited_s, extended = now + DEAD_HOLDER_WAIT_S, DEAD_HOLDER_WAIT_S, True
        time.sleep(POLL_S)
    return lease_id


@contextmanager
def hold_year_slot(year: int, run_id: int, watch: SlotWatch) -> Iterator[None]:
    """Hold the Prefect slots of ``year`` (and year + 1) for run ``run_id`` while the body loads; ``watch.busy_error`` after ``watch.wait_s`` when a live run holds them."""
    names = year_limit_names(year)
    ensure_limits(names)
    with api_client() as client:
        lease_id = wait_for_slots(client, watch, year, names)
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
