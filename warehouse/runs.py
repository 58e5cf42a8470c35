"""The run log (etl_run): open a run, close it, and find the fingerprint behind a year's current values.

A run is opened in its own committed transaction so that a killed process still leaves a row.
Such a row stays 'running'; the next ``start_run`` of the same year marks it 'failed' when its
process is known to be gone: the caller's probe (``is_gone``) says its pid of this host no longer
exists, or it was started more than ``stale_after`` ago (a run on another host cannot be probed, so
only age tells; nor can any run when no probe is given).
A live run of the same year (another process, or this one) is left alone: the year lock decides
between them at load time.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from warehouse.coltypes import utc_now
from warehouse.engine import write_transaction
from warehouse.errors import WarehouseError
from warehouse.schema import RUN_STATUSES, RUN_TRIGGERS, etl_run

STALE_AFTER = timedelta(hours=24)
"""A run still 'running' after this long is taken as dead even when its process cannot be probed."""

TERMINAL_STATUSES = tuple(s for s in RUN_STATUSES if s != "running")

ProcessProbe = Callable[[str | None, int | None], bool]
"""Whether process ``pid`` (second argument) of the host named by the first is known to be gone; False when it cannot tell."""


def _is_dead(row: Any, now: datetime, host: str, stale_after: timedelta, is_gone: ProcessProbe | None) -> str | None:
    """Why the 'running' run ``row`` is taken as dead, or None when it may still be alive."""
    if is_gone is not None and is_gone(row.host, row.pid):
        return f"its process (pid {row.pid} on {host}) is gone"
    if now - row.started_at > stale_after:
        return f"it started at {row.started_at.isoformat()}, more than {stale_after} ago"
    return None


def fail_dead_runs(
    conn: Connection, year: int, by_run: str, stale_after: timedelta = STALE_AFTER, is_gone: ProcessProbe | None = None
) -> list[int]:
    """Mark 'failed' every run of ``year`` left 'running' by a dead process (``is_gone`` probes this host's); returns their run ids."""
    now = utc_now()
    host = socket.gethostname()
    rows = conn.execute(
        select(etl_run.c.run_id, etl_run.c.host, etl_run.c.pid, etl_run.c.started_at).where(
            etl_run.c.year == year, etl_run.c.status == "running"
        )
    ).all()
    failed: list[int] = []
    for row in rows:
        why = _is_dead(row, now, host, stale_after, is_gone)
        if why is None:
            continue
        conn.execute(
            update(etl_run)
            .where(etl_run.c.run_id == row.run_id, etl_run.c.status == "running")
            .values(status="failed", finished_at=now, message=f"marked failed by {by_run}: still 'running' but {why}")
        )
        failed.append(row.run_id)
    return failed


def start_run(
    engine: Engine,
    year: int,
    trigger: str,
    reason: str | None,
    fingerprint: str | None,
    flow_run_id: str | None = None,
    *,
    stale_after: timedelta = STALE_AFTER,
    is_gone: ProcessProbe | None = None,
) -> int:
    """Open one 'running' etl_run row for ``year`` and commit it at once; returns its run_id.

    Runs of the same year left 'running' by a dead process are marked 'failed' first (module docstring);
    ``is_gone`` is the probe of this host's processes, without which only a run's age tells.
    """
    if trigger not in RUN_TRIGGERS:
        raise WarehouseError(f"trigger must be one of {', '.join(RUN_TRIGGERS)}, not {trigger!r}")
    with write_transaction(engine) as conn:
        fail_dead_runs(conn, year, f"a new run of {year}", stale_after, is_gone)
        result = conn.execute(
            insert(etl_run).values(
                year=year,
                status="running",
                trigger=trigger,
                reason=reason,
                started_at=utc_now(),
                input_fingerprint=fingerprint,
                flow_run_id=flow_run_id,
                host=socket.gethostname(),
                pid=os.getpid(),
            )
        )
        return int(result.inserted_primary_key[0])


def finish_run(
    engine: Engine,
    run_id: int,
    status: str,
    *,
    message: str | None = None,
    error_count: int | None = None,
    warning_count: int | None = None,
) -> None:
    """Close run ``run_id`` with a terminal status (normally 'failed' or 'unchanged'; load_year and record_rejection close their own)."""
    if status not in TERMINAL_STATUSES:
        raise WarehouseError(f"a run finishes as one of {', '.join(TERMINAL_STATUSES)}, not {status!r}")
    with write_transaction(engine) as conn:
        set_run_status(conn, run_id, status, message=message, error_count=error_count, warning_count=warning_count)


def set_run_status(conn: Connection, run_id: int, status: str, **values: Any) -> None:
    """Set the status, finish time and the given columns of run ``run_id`` inside ``conn``'s transaction."""
    result = conn.execute(
        update(etl_run).where(etl_run.c.run_id == run_id).values(status=status, finished_at=utc_now(), **values)
    )
    if result.rowcount != 1:
        raise WarehouseError(f"run {run_id} is not in the warehouse")


def current_fingerprint(engine: Engine, year: int) -> str | None:
    """The input fingerprint of the last run that loaded ``year`` (the one behind its current values); None if never loaded."""
    with engine.connect() as conn:
        return conn.scalar(
            select(etl_run.c.input_fingerprint)
            .where(etl_run.c.year == year, etl_run.c.status == "succeeded")
            .order_by(etl_run.c.run_id.desc())
            .limit(1)
        )


def get_run(engine: Engine, run_id: int) -> dict[str, Any] | None:
    """The etl_run row of ``run_id`` as a dict, or None."""
    with engine.connect() as conn:
        row = conn.execute(select(etl_run).where(etl_run.c.run_id == run_id)).mappings().first()
        return dict(row) if row else None


def refuse_other_year(conn: Connection, run_id: int, year: int) -> None:
    """Raise unless run ``run_id`` exists and is a run of ``year``."""
    run_year = conn.scalar(select(etl_run.c.year).where(etl_run.c.run_id == run_id))
    if run_year is None:
        raise WarehouseError(f"run {run_id} is not in the warehouse; open it with start_run first")
    if run_year != year:
        raise WarehouseError(f"run {run_id} is a run of {run_year}, it cannot load {year}")
