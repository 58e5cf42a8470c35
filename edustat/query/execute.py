"""Run one checked statement against the warehouse on a connection that cannot write.

SQLite: the file is opened read-only (``file:…?mode=ro`` URI) with ``PRAGMA query_only``.
PostgreSQL: the statement runs in a READ ONLY transaction that is always rolled back, under
``SET LOCAL ROLE`` when a query role is configured (EDUSTAT_QUERY_ROLE), through a server-side
cursor so that only the rows shown travel. The up-front check (check.py) only gives clearer
messages: these connections are the guard.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import polars as pl
from sqlalchemy import URL, create_engine
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from edustat.query.check import RefusedQuery, check_statement, tokens
from edustat.query.frame import result_frame
from warehouse.engine import normalise_url, safe_url

DEFAULT_ROW_LIMIT = 10_000
"""Rows shown unless --limit says otherwise; the note under the output says when more exist."""

QUERY_ROLE_ENV = "EDUSTAT_QUERY_ROLE"
"""A PostgreSQL role without write rights that queries run as (SET ROLE), when set."""

SQLITE_BUSY_TIMEOUT_S = 30.0
_CURSOR_NAME = "edustat_query"


class QueryError(Exception):
    """The query could not run (no warehouse, a database error); the message is for the user."""


@dataclass(frozen=True)
class QueryResult:
    """The first ``limit`` rows of a query's result (one row per result row) and whether more were left out."""

    frame: pl.DataFrame
    is_truncated: bool
    limit: int


def dialect_of(url: str | URL) -> str:
    """The warehouse dialect of ``url``: 'sqlite' or 'postgresql'; QueryError for anything else."""
    try:
        backend = normalise_url(url).get_backend_name()
    except (ArgumentError, ValueError) as error:
        raise QueryError(f"not a warehouse URL: {safe_url(url)}") from error
    if backend not in ("sqlite", "postgresql"):
        raise QueryError(f"query supports SQLite and PostgreSQL warehouses, not {backend}")
    return backend


def run_query(url: str | URL, sql: str, limit: int = DEFAULT_ROW_LIMIT, role: str | None = None) -> QueryResult:
    """Check ``sql`` (RefusedQuery when it is not one read statement), then run it read-only and return at most ``limit`` rows."""
    statement = check_statement(sql, dialect_of(url))
    return execute_read_only(url, statement, limit, role)


def execute_read_only(url: str | URL, statement: str, limit: int = DEFAULT_ROW_LIMIT, role: str | None = None) -> QueryResult:
    """Run ``statement`` on a connection that cannot write; at most ``limit`` rows come back. Database errors become QueryError."""
    if limit < 1:
        raise QueryError("the row limit must be at least 1")
    if dialect_of(url) == "sqlite":
        names, rows = _sqlite(url, statement, limit)
    else:
        names, rows = _postgres(url, statement, limit, role)
    return QueryResult(frame=result_frame(names, rows[:limit]), is_truncated=len(rows) > limit, limit=limit)


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
        return next((t.text for t in tokens(statement, "postgresql") if t.kind == "word"), None)
    except RefusedQuery:
        return None


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _sqlite(url: str | URL, statement: str, limit: int) -> tuple[list[str], list[tuple[Any, ...]]]:
    path = sqlite_path(url)
    try:
        connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=SQLITE_BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as error:
        raise QueryError(f"cannot open {path} read-only: {_first_line(error)}") from None
    try:
        connection.execute("PRAGMA query_only = ON")
        # mode=ro covers the main file only: an ATTACHed file would open read-write (and be created).
        connection.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        connection.execute("BEGIN")
        connection.set_authorizer(_sqlite_authorizer)
        cursor = connection.execute(statement)
        names = [column[0] for column in cursor.description or ()]
        rows = cursor.fetchmany(limit + 1) if cursor.description else []
        return names, rows
    except (sqlite3.Error, sqlite3.Warning, OverflowError, ValueError) as error:
        raise QueryError(f"the query failed / 查询失败: {_first_line(error)}") from None
    finally:
        connection.set_authorizer(None)
        if connection.in_transaction:
            connection.rollback()
        connection.close()


_SQLITE_DENIED = frozenset(
    getattr(sqlite3, name)
    for name in dir(sqlite3)
    if name.startswith(("SQLITE_CREATE_", "SQLITE_DROP_"))
    or name in ("SQLITE_ATTACH", "SQLITE_DETACH", "SQLITE_INSERT", "SQLITE_DELETE", "SQLITE_ALTER_TABLE", "SQLITE_REINDEX", "SQLITE_ANALYZE", "SQLITE_TRANSACTION", "SQLITE_SAVEPOINT")
)
"""Authorizer actions refused while the user's statement is prepared (UPDATE stays allowed: pragma table functions report it on sqlite_master)."""


def _sqlite_authorizer(action: int, *_: object) -> int:
    return sqlite3.SQLITE_DENY if action in _SQLITE_DENIED else sqlite3.SQLITE_OK


def _postgres(url: str | URL, statement: str, limit: int, role: str | None) -> tuple[list[str], list[tuple[Any, ...]]]:
    import psycopg
    from psycopg import sql

    parsed = normalise_url(url)
    dialect = create_engine(parsed, poolclass=NullPool).dialect
    args, kwargs = dialect.create_connect_args(parsed)
    kwargs.pop("context", None)
    try:
        connection = psycopg.connect(*args, **kwargs)
    except psycopg.Error as error:
        raise QueryError(f"cannot connect to {safe_url(url)}: {_first_line(error)}") from None
    try:
        # BEGIN READ ONLY, and said again in SQL: nothing in this transaction can write, and it is never committed.
        connection.read_only = True
        with connection.cursor() as setup:
            setup.execute("SET TRANSACTION READ ONLY")
            # Any later transaction of this session would be read-only too.
            setup.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            if role:
                setup.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
        if _first_word(statement) in ("select", "with", "values"):
            # A server-side cursor sends only the rows asked for.
            cursor = connection.cursor(name=_CURSOR_NAME)
            cursor.execute(statement)
        else:
            # Prepared: the extended protocol refuses a second statement, which a simple query would run.
            cursor = connection.cursor()
            cursor.execute(statement, prepare=True)
        names = [column.name for column in cursor.description or ()]
        rows = cursor.fetchmany(limit + 1) if cursor.description else []
        return names, rows
    except psycopg.Error as error:
        raise QueryError(f"the query failed / 查询失败: {_first_line(error)}") from None
    finally:
        connection.rollback()
        connection.close()
