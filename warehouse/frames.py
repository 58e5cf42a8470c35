"""Query results as polars frames, typed from the statement's SQL column types (so an empty result keeps its schema)."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, Select

from warehouse.coltypes import sql_to_polars


def fetch_frame(conn: Connection, statement: Select) -> pl.DataFrame:
    """One row per result row of ``statement``, one typed column per selected column."""
    schema = {column.name: sql_to_polars(column.type) for column in statement.selected_columns}
    rows = conn.execute(statement).all()
    return pl.DataFrame([tuple(row) for row in rows], schema=schema, orient="row")
