"""Bulk insertion of polars frames: psycopg 3 COPY on PostgreSQL, chunked executemany elsewhere.

The frame is first conformed to the table (columns chosen and cast to the table's types, NaN
turned into NULL) so that the same frame stores the same bytes on every dialect.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl
from sqlalchemy import Column, Connection, Table
from sqlalchemy.exc import DBAPIError

from warehouse.coltypes import sql_to_polars
from warehouse.errors import WarehouseError

CHUNK_ROWS = 5_000
"""Rows per executemany batch through SQLAlchemy (other dialects): bounded memory for the parameter dicts."""

SQLITE_CHUNK_ROWS = 200_000
"""Rows per sqlite3 executemany call; rows are made one at a time from the frame, so memory stays flat."""

COPY_CHUNK_ROWS = 500_000
"""Rows per CSV block written to a PostgreSQL COPY."""


def _loadable(table: Table) -> list[Column[Any]]:
    """Columns a bulk insert fills: all but a surrogate key that the database numbers itself."""
    return [c for c in table.columns if not (c.primary_key and c.autoincrement is True)]


def conform(table: Table, frame: pl.DataFrame, fixed: Mapping[str, Any] | None = None, optional: Iterable[str] = ()) -> pl.DataFrame:
    """``frame`` as the table's rows: one row per frame row, the table's columns in table order, cast to its types.

    ``fixed`` columns (year, run_id) are set to one value on every row; ``optional`` columns may be
    missing from the frame and are then NULL; any other missing column raises ``WarehouseError``.
    Columns of the frame that the table lacks are dropped.
    """
    fixed = dict(fixed or {})
    optional = set(optional)
    exprs: list[pl.Expr] = []
    missing: list[str] = []
    for column in _loadable(table):
        dtype = sql_to_polars(column.type)
        if column.name in fixed:
            expr = pl.lit(fixed[column.name], dtype=dtype)
        elif column.name in frame.columns:
            expr = pl.col(column.name).cast(dtype, strict=True)
            if dtype == pl.Float64():
                expr = expr.fill_nan(None)
        elif column.name in optional:
            expr = pl.lit(None, dtype=dtype)
        else:
            missing.append(column.name)
            continue
        exprs.append(expr.alias(column.name))
    if missing:
        raise WarehouseError(f"cannot load table {table.name}: the frame lacks column(s) {', '.join(missing)}")
    return frame.select(exprs)


def insert_frame(conn: Connection, table: Table, frame: pl.DataFrame, fixed: Mapping[str, Any] | None = None, optional: Iterable[str] = ()) -> int:
    """Insert every row of ``frame`` (conformed by ``conform``) into ``table`` inside ``conn``'s transaction; returns the row count."""
    if frame.height == 0:
        return 0
    rows = conform(table, frame, fixed, optional)
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        _copy(conn, table, rows)
    else:
        _executemany(conn, table, rows)
    return rows.height


def _copy(conn: Connection, table: Table, rows: pl.DataFrame) -> None:
    preparer = conn.dialect.identifier_preparer
    columns = ", ".join(preparer.quote(name) for name in rows.columns)
    # CSV as Polars writes it is what COPY reads: NULL unquoted and empty, an empty string quoted (""),
    # floats in their shortest exact form, so the doubles stored are the frame's to the bit.
    statement = f"COPY {preparer.format_table(table)} ({columns}) FROM STDIN (FORMAT csv)"
    driver_connection = conn.connection.driver_connection
    dbapi = conn.dialect.loaded_dbapi
    try:
        with driver_connection.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for offset in range(0, rows.height, COPY_CHUNK_ROWS):
                copy.write(rows.slice(offset, COPY_CHUNK_ROWS).write_csv(include_header=False).encode("utf-8"))
    except dbapi.Error as error:
        # The same exception classes as a SQLAlchemy execute raises (IntegrityError, ...), whichever path loaded the rows.
        raise DBAPIError.instance(statement, None, error, dbapi.Error) from error


def _is_plain(rows: pl.DataFrame) -> bool:
    """True when every column holds values the DB-API driver binds as they are (no datetimes to convert)."""
    return all(dtype in (pl.String(), pl.Int64(), pl.Float64(), pl.Boolean()) for dtype in rows.schema.values())


def _executemany(conn: Connection, table: Table, rows: pl.DataFrame) -> None:
    if conn.dialect.name == "sqlite" and _is_plain(rows):
        _sqlite_executemany(conn, table, rows)
        return
    names = rows.columns
    for offset in range(0, rows.height, CHUNK_ROWS):
        chunk = rows.slice(offset, CHUNK_ROWS)
        conn.execute(table.insert(), [dict(zip(names, row, strict=True)) for row in chunk.iter_rows()])


def _sqlite_executemany(conn: Connection, table: Table, rows: pl.DataFrame) -> None:
    """Rows as tuples straight to sqlite3's executemany: no per-row dict, no SQLAlchemy processing.

    Booleans bind as 0/1 and floats as doubles, exactly as SQLAlchemy's own path stores them.
    """
    preparer = conn.dialect.identifier_preparer
    columns = ", ".join(preparer.quote(name) for name in rows.columns)
    marks = ", ".join("?" for _ in rows.columns)
    statement = f"INSERT INTO {preparer.format_table(table)} ({columns}) VALUES ({marks})"
    dbapi = conn.dialect.loaded_dbapi
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        for offset in range(0, rows.height, SQLITE_CHUNK_ROWS):
            cursor.executemany(statement, rows.slice(offset, SQLITE_CHUNK_ROWS).iter_rows())
    except dbapi.Error as error:
        raise DBAPIError.instance(statement, None, error, dbapi.Error) from error
    finally:
        cursor.close()
