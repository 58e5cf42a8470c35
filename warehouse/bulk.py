"""Bulk insertion of polars frames: psycopg 3 COPY on PostgreSQL, chunked executemany elsewhere.

The frame is first conformed to the table (columns chosen and cast to the table's types, NaN
turned into NULL) so that the same frame stores the same bytes on every dialect.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain, islice, repeat
from typing import Any

import polars as pl
from sqlalchemy import Column, Connection, Table
from sqlalchemy.exc import DBAPIError

from warehouse.coltypes import sql_to_polars
from warehouse.errors import WarehouseError

CHUNK_ROWS = 5_000
"""Rows per executemany batch through SQLAlchemy (other dialects): bounded memory for the parameter dicts."""

SQLITE_PARAMS_PER_STATEMENT = 250
"""Bound values per multi-row SQLite INSERT (rows per statement = this // bound columns).

One statement per row spends most of its time in the sqlite3 module's per-statement work (step,
reset, the executemany loop); ~50 rows of 5 values per statement cut the Python side of a
9.4-million-row load by about a third. More rows per statement got slower again in measurements.
"""

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
    rows = _without_nul(conform(table, frame, fixed, optional))
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        _copy(conn, table, rows)
    else:
        _executemany(conn, table, rows, _integer_literals(rows, fixed))
    return rows.height


def _without_nul(rows: pl.DataFrame) -> pl.DataFrame:
    """``rows`` with every NUL in text shown as ␀: PostgreSQL cannot store NUL in text, and no text may fail a load for it.

    Ingest reports NUL in a cell as invalid_character and removes it; this keeps a header, sheet name
    or message that still holds one from turning a rejection into a failed COPY.
    """
    text = [name for name, dtype in rows.schema.items() if dtype == pl.String and rows.get_column(name).str.contains("\x00", literal=True).any()]
    if not text:
        return rows
    return rows.with_columns(pl.col(text).str.replace_all("\x00", "\u2400", literal=True))


def _integer_literals(rows: pl.DataFrame, fixed: Mapping[str, Any] | None) -> dict[str, int]:
    """Fixed integer columns (year, run_id) that SQLite can take as SQL literals instead of a bound value per row.

    Only plain ints into integer columns: their decimal text is exact and stores the same INTEGER
    as binding them would; anything else (bool, str, float, datetime) stays bound.
    """
    return {
        name: value
        for name, value in (fixed or {}).items()
        if type(value) is int and rows.schema.get(name) == pl.Int64()
    }


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
                # Straight into bytes: the same bytes as write_csv() → str → encode, without the str copy.
                block = io.BytesIO()
                rows.slice(offset, COPY_CHUNK_ROWS).write_csv(block, include_header=False)
                copy.write(block.getbuffer())
    except dbapi.Error as error:
        # The same exception classes as a SQLAlchemy execute raises (IntegrityError, ...), whichever path loaded the rows.
        raise DBAPIError.instance(statement, None, error, dbapi.Error) from error


def _is_plain(rows: pl.DataFrame) -> bool:
    """True when every column holds values the DB-API driver binds as they are (no datetimes to convert)."""
    return all(dtype in (pl.String(), pl.Int64(), pl.Float64(), pl.Boolean()) for dtype in rows.schema.values())


def _executemany(conn: Connection, table: Table, rows: pl.DataFrame, literals: Mapping[str, int] | None = None) -> None:
    if conn.dialect.name == "sqlite" and _is_plain(rows):
        _sqlite_executemany(conn, table, rows, literals or {})
        return
    names = rows.columns
    for offset in range(0, rows.height, CHUNK_ROWS):
        chunk = rows.slice(offset, CHUNK_ROWS)
        conn.execute(table.insert(), [dict(zip(names, row, strict=True)) for row in chunk.iter_rows()])


def _sqlite_executemany(conn: Connection, table: Table, rows: pl.DataFrame, literals: Mapping[str, int]) -> None:
    """Rows as tuples straight to sqlite3's executemany: no per-row dict, no SQLAlchemy processing.

    Booleans bind as 0/1 and floats as doubles, exactly as SQLAlchemy's own path stores them.
    Rows go in groups of several per INSERT, in frame order, so the rowids they get are the same as
    one INSERT per row would give; ``literals`` columns are written into the SQL instead of bound.
    """
    if len(literals) == rows.width:
        # A frame with no bound column left would have no rows to iterate: bind everything instead.
        literals = {}
    preparer = conn.dialect.identifier_preparer
    columns = ", ".join(preparer.quote(name) for name in rows.columns)
    row_sql = "(" + ", ".join(str(literals[name]) if name in literals else "?" for name in rows.columns) + ")"
    bound = rows.select(name for name in rows.columns if name not in literals)
    driver_connection = conn.connection.driver_connection
    variable_limit = driver_connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)  # type: ignore[union-attr]
    per_statement = max(1, min(SQLITE_PARAMS_PER_STATEMENT, variable_limit) // max(bound.width, 1))
    grouped = rows.height - rows.height % per_statement
    prefix = f"INSERT INTO {preparer.format_table(table)} ({columns}) VALUES "
    statement = prefix + row_sql
    dbapi = conn.dialect.loaded_dbapi
    cursor = driver_connection.cursor()  # type: ignore[union-attr]
    try:
        if grouped:
            many = prefix + ", ".join([row_sql] * per_statement)
            cursor.executemany(many, _flat_groups(bound.head(grouped), per_statement))
        cursor.executemany(statement, bound.slice(grouped).iter_rows())
    except dbapi.Error as error:
        raise DBAPIError.instance(statement, None, error, dbapi.Error) from error
    finally:
        cursor.close()


def _flat_groups(rows: pl.DataFrame, per_group: int) -> Iterator[tuple[Any, ...]]:
    """The values of ``per_group`` consecutive rows as one flat tuple, group after group (``rows.height`` a multiple of it).

    Built by C-level iterators only (no Python code runs per row): the rows' values are chained into
    one stream and cut into tuples of ``per_group * width`` values.
    """
    values = chain.from_iterable(rows.iter_rows())
    return map(tuple, map(islice, repeat(values), repeat(per_group * rows.width, rows.height // per_group)))


IN_CHUNK = 5_000
"""Values per IN (...) list: far below every database's limit on bound parameters."""


def in_chunks(values: Sequence) -> list[list]:
    """``values`` cut into lists of at most IN_CHUNK, in order: one IN (...) list each."""
    return [list(values[offset : offset + IN_CHUNK]) for offset in range(0, len(values), IN_CHUNK)]
