"""Query results as polars frames, typed from the statement's SQL column types (so an empty result keeps its schema)."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, Select

from warehouse.coltypes import sql_to_polars

PLAIN_DTYPES = (pl.Int64(), pl.Float64(), pl.String())
"""Dtypes whose values both drivers return as plain Python integers, floats and strings, which need no SQLAlchemy result processing."""


def fetch_frame(conn: Connection, statement: Select) -> pl.DataFrame:
    """One row per result row of ``statement``, one typed column per selected column."""
    schema = {column.name: sql_to_polars(column.type) for column in statement.selected_columns}
    with conn.execute(statement) as result:
        if all(dtype in PLAIN_DTYPES for dtype in schema.values()):
            # The driver's tuples as they come: a national previous year is millions of rows, and SQLAlchemy's
            # Row objects (and their conversion back to tuples) cost more than the database's own reading.
            rows = result.cursor.fetchall()
        else:
            rows = [tuple(row) for row in result.all()]
    return pl.DataFrame(rows, schema=schema, orient="row")
