"""Engines for the warehouse: SQLite by default, PostgreSQL through psycopg 3.

SQLite connections run with the driver's own transaction handling switched off so that
SQLAlchemy's BEGIN is a real BEGIN (transactional DDL, consistent reads), foreign keys on,
WAL journal, and a busy timeout. A connection whose execution options carry
``edustat_write=True`` begins with ``BEGIN IMMEDIATE`` so that a writer queues for the file
lock up front instead of failing half-way; ``edustat_busy_timeout_ms`` sets how long it queues.
"""

from __future__ import annotations

import sqlite3

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from warehouse.errors import WarehouseBusyError

DEFAULT_BUSY_TIMEOUT_S = 60.0
"""How long an ordinary SQLite statement waits for another writer before giving up."""

_PG_DRIVERLESS = ("postgresql", "postgres")


def normalise_url(url: str | URL) -> URL:
    """The URL with a driverless PostgreSQL URL pointed at psycopg 3 (``postgresql+psycopg``)."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.drivername in _PG_DRIVERLESS:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def safe_url(url: str | URL) -> str:
    """The URL as text with its password replaced by ``***``, fit for logs and messages."""
    try:
        return normalise_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "<unparseable warehouse URL>"


def is_sqlite(bind: Engine | Connection) -> bool:
    """Whether ``bind`` talks to SQLite."""
    return bind.dialect.name == "sqlite"


def make_engine(url: str | URL, **kwargs: object) -> Engine:
    """An engine for ``url``: SQLite (parent folder created, WAL, foreign keys, busy timeout) or PostgreSQL via psycopg 3 (pre-ping)."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "sqlite":
        # A long-lived `edustat serve` outlives server-side idle timeouts: test connections before use.
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(parsed, **kwargs)
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, **kwargs)
    _configure_sqlite(engine)
    return engine


_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def get_engine(url: str | URL) -> Engine:
    """The process's one engine (and connection pool) for ``url``, made by ``make_engine`` on first use."""
    key = normalise_url(url).render_as_string(hide_password=False)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _ENGINES[key] = make_engine(key)
        return engine


def dispose_engines() -> None:
    """Close the pools of every engine ``get_engine`` made and forget them (tests, end of process)."""
    with _ENGINES_LOCK:
        engines = list(_ENGINES.values())
        _ENGINES.clear()
    for engine in engines:
        engine.dispose()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not pysqlite, decide where transactions begin (see module docstring).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL still survives a crashed process; only a power cut may lose the last commits,
        # never corrupt the file. FULL made the commit of a national load wait ~2 s for its fsync.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        timeout_ms = int(options.get("edustat_busy_timeout_ms", DEFAULT_BUSY_TIMEOUT_S * 1000))
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {timeout_ms}")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("edustat_write") else "BEGIN")


def is_lock_error(error: OperationalError) -> bool:
    """Whether a SQLite error means another connection holds the write lock."""
    text = str(error.orig).lower()
    return "database is locked" in text or "database is busy" in text


@contextmanager
def write_transaction(engine: Engine, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S, *, busy_message: str | None = None) -> Iterator[Connection]:
    """One committed-or-rolled-back write transaction; on SQLite it takes the file's write lock at BEGIN.

    A SQLite writer that cannot get the lock within ``busy_timeout_s`` raises
    ``WarehouseBusyError`` (with ``busy_message`` when given).
    """
    with engine.connect() as conn:
        if is_sqlite(conn):
            conn.execution_options(edustat_write=True, edustat_busy_timeout_ms=int(busy_timeout_s * 1000))
        try:
            with conn.begin():
                yield conn
        except OperationalError as error:
            if is_sqlite(conn) and is_lock_error(error):
                message = busy_message or f"the warehouse is being written by another run; waited {busy_timeout_s:g} s"
                raise WarehouseBusyError(message) from error
            raise


def truncate_log(engine: Engine) -> None:
    """On SQLite, copy the write-ahead log into the database file and truncate it to zero bytes; elsewhere nothing.

    A national load leaves a WAL of ~1.7 GB: kept, it doubles the disk used and the next process
    opening the warehouse must scan it. Run after the load committed, on a connection outside any
    transaction (a checkpoint cannot complete inside one).
    """
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
    except sqlite3.OperationalError:
        # Another connection is busy with the file: the log is truncated by a later load, nothing is lost.
        pass
    finally:
        raw.close()
