"""The per-year load lock: one run loads a year at a time.

PostgreSQL locks the year's row of ``load_lock`` (SELECT … FOR UPDATE SKIP LOCKED, polled until
``lock_timeout_s``), a lock the reader role cannot take; SQLite has one writer per file, taken at
``BEGIN IMMEDIATE`` with a busy timeout of ``lock_timeout_s``. Either way a run that waited too long
gets ``WarehouseBusyError``; the caller then closes its run as failed.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy import Connection, Engine, text

from warehouse.engine import is_sqlite
from warehouse.errors import WarehouseBusyError, WarehouseError

LOCK_POLL_S = 0.05


def busy_message(year: int, waited_s: float, sqlite: bool) -> str:
    """The message of the WarehouseBusyError raised when ``year`` could not be locked."""
    message = f"year {year} is being loaded by another run; waited {waited_s:g} s"
    if sqlite:
        message += " (SQLite lets one run write to the warehouse file at a time)"
    return message + f" / {year} 年的数据正被另一次运行写入, 已等待 {waited_s:g} 秒"


def ensure_lock_rows(engine: Engine, years: Sequence[int]) -> None:
    """Make sure ``load_lock`` has a row for each of ``years`` (PostgreSQL), in a short transaction of its own.

    Inserted outside the load's transaction: a row inserted there would make a second run's insert
    wait for the whole load instead of polling with a time limit.
    """
    if is_sqlite(engine):
        return
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO load_lock (year) SELECT y FROM unnest(CAST(:years AS integer[])) AS y ON CONFLICT (year) DO NOTHING"),
            {"years": list(years)},
        )


def lock_year(conn: Connection, year: int, timeout_s: float) -> None:
    """Hold the per-year load lock until ``conn``'s transaction ends (PostgreSQL); SQLite's file lock is taken at BEGIN.

    PostgreSQL: a row lock on the year's ``load_lock`` row (made by ``ensure_lock_rows``), polled
    with SKIP LOCKED so that waiting has a time limit. Taking it needs UPDATE rights on the table,
    which the reader role lacks: a query cannot hold a load up. Raises WarehouseBusyError after
    ``timeout_s`` seconds of waiting.
    """
    if is_sqlite(conn):
        return
    statement = text("SELECT year FROM load_lock WHERE year = :year FOR UPDATE SKIP LOCKED")
    if not conn.scalar(text("SELECT count(*) FROM load_lock WHERE year = :year"), {"year": year}):
        # Not inserted here: a second run's insert of the same row would wait for this whole load, with no time limit.
        raise WarehouseError(f"load_lock has no row for {year}; call ensure_lock_rows before the load's transaction")
    deadline = time.monotonic() + timeout_s
    while conn.scalar(statement, {"year": year}) is None:
        if time.monotonic() >= deadline:
            raise WarehouseBusyError(busy_message(year, timeout_s, sqlite=False))
        time.sleep(LOCK_POLL_S)
