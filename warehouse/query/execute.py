"""Run one checked statement against the warehouse on a connection that cannot write, within a time limit.

SQLite: the file is opened read-only (``file:…?mode=ro`` URI) with ``PRAGMA query_only``; the
guard's authorizer (sqlite_guard.py) judges every read and call while the statement is prepared,
and a progress handler interrupts it at the time limit.
PostgreSQL: the connection should be a login of the reader role (EDUSTAT_QUERY_URL), which has
SELECT on the warehouse and nothing else; a superuser or a role that can write to the warehouse
is refused unless the caller allows it. The statement runs in a READ ONLY transaction that is
always rolled back, under ``SET LOCAL statement_timeout`` (the server stops it, even when the
client is gone), through a server-side cursor so that only the rows shown travel.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import polars as pl
from sqlalchemy import URL, create_engine
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from warehouse.engine import normalise_url, safe_url
from warehouse.query.check import check_statement, sqlite_tokens
from warehouse.query.frame import result_frame
from warehouse.query.refusal import RefusedQuery, refuse
from warehouse.query.sqlite_guard import SqliteGuard
from warehouse.reader import READER_ROLE
from warehouse.schema import QUERYABLE_RELATIONS

DEFAULT_ROW_LIMIT = 10_000
"""Rows shown unless --limit says otherwise; the note under the output says when more exist."""

DEFAULT_TIMEOUT_S = 300.0
"""How long a query may run unless --timeout / EDUSTAT_QUERY_TIMEOUT_S says otherwise."""

SQLITE_BUSY_TIMEOUT_S = 30.0
SQLITE_PROGRESS_STEPS = 10_000
"""SQLite virtual-machine steps between two looks at the clock (well under a millisecond each)."""
_CURSOR_NAME = "edustat_query"


class QueryError(Exception):
    """The query could not run (no warehouse, a database error, the time limit); the message is for the user."""


class QueryTimeout(QueryError):
    """The query ran longer than its time limit and was stopped."""


@dataclass(frozen=True)
class QueryResult:
    """The first ``limit`` rows of a query's result (one row per result row) and whether more were left out."""

    frame: pl.DataFrame
    is_truncated: bool
    limit: int


@dataclass(frozen=True)
class QueryLimits:
    """What one query may use: rows shown, seconds of running, and whether a superuser or writing login is accepted."""

    rows: int = DEFAULT_ROW_LIMIT
    timeout_s: float = DEFAULT_TIMEOUT_S
    is_superuser_allowed: bool = False


def dialect_of(url: str | URL) -> str:
    """The warehouse dialect of ``url``: 'sqlite' or 'postgresql'; QueryError for anything else."""
    try:
        backend = normalise_url(url).get_backend_name()
    except (ArgumentError, ValueError) as error:
        raise QueryError(f"not a warehouse URL: {safe_url(url)}") from error
    if backend not in ("sqlite", "postgresql"):
        raise QueryError(f"query supports SQLite and PostgreSQL warehouses, not {backend}")
    return backend


def run_query(url: str | URL, sql: str, limits: QueryLimits = QueryLimits()) -> QueryResult:
    """Check ``sql`` (RefusedQuery when the guard does not allow it), then run it read-only within ``limits``."""
    statement = check_statement(sql, dialect_of(url))
    return execute_read_only(url, statement, limits)


def execute_read_only(url: str | URL, statement: str, limits: QueryLimits = QueryLimits()) -> QueryResult:
    """Run ``statement`` on a connection that cannot write; at most ``limits.rows`` rows come back. Database errors become QueryError."""
    if limits.rows < 1:
        raise QueryError("the row limit must be at least 1")
    if not limits.timeout_s > 0:
        raise QueryError("the time limit must be more than 0 seconds")
    if dialect_of(url) == "sqlite":
        names, rows = _sqlite(url, statement, limits)
    else:
        names, rows = _postgres(url, statement, limits)
    return QueryResult(frame=result_frame(names, rows[: limits.rows]), is_truncated=len(rows) > limits.rows, limit=limits.rows)


def timeout_message(timeout_s: float) -> str:
    """The sentence of a query stopped at its time limit."""
    return (
        f"the query ran longer than {timeout_s:g} s and was stopped; narrow it or pass --timeout S "
        f"/ 查询超过 {timeout_s:g} 秒，已停止；请缩小查询范围或用 --timeout 指定更长时间"
    )


def sqlite_path(url: str | URL) -> Path:
    """The warehouse file of a SQLite URL; QueryError for an in-memory database or a missing file."""
    database = normalise_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise QueryError(f"query needs a SQLite warehouse file, not {safe_url(url)}")
    path = Path(database).expanduser().resolve()
    if not path.is_file():
        raise QueryError(f"no warehouse at {path}; run `edustat run --year Y --input DIR` first / 仓库文件不存在")
    return path


def _first_word(statement: str) -> str | None:
    try:
        return next((t.text for t in sqlite_tokens(statement) if t.kind == "word"), None)
    except RefusedQuery:
        return None


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _sqlite(url: str | URL, statement: str, limits: QueryLimits) -> tuple[list[str], list[tuple[Any, ...]]]:
    path = sqlite_path(url)
    try:
        connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=SQLITE_BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as error:
        raise QueryError(f"cannot open {path} read-only: {_first_line(error)}") from None
    guard = SqliteGuard(QUERYABLE_RELATIONS)
    deadline = time.monotonic() + limits.timeout_s
    try:
        connection.execute("PRAGMA query_only = ON")
        # mode=ro covers the main file only: an ATTACHed file would open read-write (and be created).
        connection.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        connection.execute("BEGIN")
        connection.set_authorizer(guard)
        # A non-zero answer interrupts the statement: an endless recursive CTE stops at the deadline.
        connection.set_progress_handler(lambda: time.monotonic() > deadline, SQLITE_PROGRESS_STEPS)
        cursor = connection.execute(statement)
        names = [column[0] for column in cursor.description or ()]
        rows = cursor.fetchmany(limits.rows + 1) if cursor.description else []
        return names, rows
    except (sqlite3.Error, sqlite3.Warning, OverflowError, ValueError) as error:
        if guard.refusal is not None:
            raise guard.refusal from None
        if time.monotonic() > deadline:
            raise QueryTimeout(timeout_message(limits.timeout_s)) from None
        raise QueryError(f"the query failed / 查询失败: {_first_line(error)}") from None
    finally:
        connection.set_authorizer(None)
        connection.set_progress_handler(None, 0)
        if connection.in_transaction:
            connection.rollback()
        connection.close()


_ROLE_SQL = """
SELECT current_user,
       r.rolsuper,
       to_regclass('indicator_value') IS NOT NULL
           AND has_table_privilege(current_user, 'indicator_value', 'INSERT, UPDATE, DELETE, TRUNCATE')
FROM pg_roles r WHERE r.rolname = current_user
"""


def _refuse_writer(cursor: Any, limits: QueryLimits) -> None:
    """RefusedQuery when the login is a superuser or may write to the warehouse, unless ``limits`` allows it."""
    user, is_superuser, can_write = cursor.execute(_ROLE_SQL).fetchone()
    if limits.is_superuser_allowed or not (is_superuser or can_write):
        return
    what = "a superuser" if is_superuser else "a role that can write to the warehouse"
    raise refuse(
        f"the query connects as {user}, {what}; set EDUSTAT_QUERY_URL to a login in role {READER_ROLE} "
        "(see docs/how-to/analysts-queries.md), or pass --allow-superuser",
        f"查询以 {user} 连接，该角色{'是超级用户' if is_superuser else '可写入仓库'}；请将 EDUSTAT_QUERY_URL 设为 {READER_ROLE} 角色的登录用户"
        "（见 docs/how-to/analysts-queries.md），或加 --allow-superuser",
    )


def _set_timeout(cursor: Any, deadline: float) -> None:
    milliseconds = max(1, int((deadline - time.monotonic()) * 1000))
    cursor.execute(f"SET LOCAL statement_timeout = {milliseconds}")


def _postgres(url: str | URL, statement: str, limits: QueryLimits) -> tuple[list[str], list[tuple[Any, ...]]]:
    import psycopg

    parsed = normalise_url(url)
    dialect = create_engine(parsed, poolclass=NullPool).dialect
    args, kwargs = dialect.create_connect_args(parsed)
    kwargs.pop("context", None)
    try:
        connection = psycopg.connect(*args, **kwargs)
    except psycopg.Error as error:
        raise QueryError(f"cannot connect to {safe_url(url)}: {_first_line(error)}") from None
    deadline = time.monotonic() + limits.timeout_s
    try:
        # BEGIN READ ONLY, and said again in SQL: nothing in this transaction can write, and it is never committed.
        connection.read_only = True
        with connection.cursor() as setup:
            _refuse_writer(setup, limits)
            setup.execute("SET TRANSACTION READ ONLY")
            # Any later transaction of this session would be read-only too.
            setup.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            # The server must read the statement as the guard's parser did: backslashes in '…' are plain characters.
            setup.execute("SET LOCAL standard_conforming_strings = on")
            _set_timeout(setup, deadline)
        if _first_word(statement) in ("select", "with", "values"):
            # A server-side cursor sends only the rows asked for; the rows are computed by the FETCH.
            cursor = connection.cursor(name=_CURSOR_NAME)
            cursor.execute(statement)
            with connection.cursor() as setup:
                _set_timeout(setup, deadline)
        else:
            # Prepared: the extended protocol refuses a second statement, which a simple query would run.
            cursor = connection.cursor()
            cursor.execute(statement, prepare=True)
        names = [column.name for column in cursor.description or ()]
        rows = cursor.fetchmany(limits.rows + 1) if cursor.description else []
        return names, rows
    except psycopg.errors.QueryCanceled:
        raise QueryTimeout(timeout_message(limits.timeout_s)) from None
    except psycopg.Error as error:
        raise QueryError(f"the query failed / 查询失败: {_first_line(error)}") from None
    finally:
        connection.rollback()
        connection.close()
