"""A lease on Prefect global concurrency limits whose id the holder knows: taken in one request, renewed while held, given back.

Prefect's ``concurrency`` context manager keeps its lease id to itself; edustat records the id
(runtime.slot_holders) so that the next run can give back the slots of a holder that is gone at
once instead of waiting for the lease to run out. These are the client calls of Prefect's own
lease API: ``increment-with-lease``, ``leases/{id}/renew``, ``decrement-with-lease``.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

import httpx
from prefect.client.orchestration import SyncPrefectClient
from prefect.client.schemas.responses import ConcurrencyLimitWithLeaseResponse
from prefect.exceptions import MissingContextError
from prefect.logging import get_logger, get_run_logger

from runtime.prefect_api import api_client

RENEW_FRACTION = 0.5
"""A held lease is renewed after this share of its duration: a renewal may fail once and the next still comes in time."""

LOCKED = 423
"""The server's answer when a limit has no free slot."""


def take_slots(client: SyncPrefectClient, names: list[str], lease_s: float) -> UUID | None:
    """One slot of each limit in ``names`` under a new lease of ``lease_s`` seconds (one request): its id, or None when a slot is taken."""
    try:
        response = client.increment_concurrency_slots_with_lease(names=names, slots=1, mode="concurrency", lease_duration=lease_s)
    except httpx.HTTPStatusError as error:
        if error.response.status_code == LOCKED:
            return None
        raise
    return ConcurrencyLimitWithLeaseResponse.model_validate(response.json()).lease_id


def release_lease(client: SyncPrefectClient, lease_id: UUID) -> None:
    """Give back every slot held under ``lease_id`` and revoke it (a lease already gone: nothing happens)."""
    client.release_concurrency_slots_with_lease(lease_id=lease_id)


@contextmanager
def renewed(lease_id: UUID, lease_s: float) -> Iterator[None]:
    """Keep ``lease_id`` alive while the body runs: a background thread renews it every RENEW_FRACTION × ``lease_s``."""
    stop = threading.Event()
    # The thread runs in a copy of this context: Prefect's settings (the API URL) live in context variables.
    context = contextvars.copy_context()
    thread = threading.Thread(target=context.run, args=(_renew_until, stop, lease_id, lease_s), name=f"edustat-lease-{lease_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(lease_s)


def _renew_until(stop: threading.Event, lease_id: UUID, lease_s: float) -> None:
    with api_client() as client:
        while not stop.wait(lease_s * RENEW_FRACTION):
            try:
                client.renew_concurrency_lease(lease_id=lease_id, lease_duration=lease_s)
            except Exception:  # noqa: BLE001 - a renewal that fails is logged; the warehouse lock still guards the load
                lease_logger().warning("could not renew concurrency lease %s", lease_id, exc_info=True)


def lease_logger() -> logging.Logger | logging.LoggerAdapter:
    """The flow run's logger when there is a run, else edustat's concurrency logger."""
    try:
        return get_run_logger()
    except MissingContextError:
        return get_logger("edustat.concurrency")
