"""Column types shared by the warehouse tables."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
from sqlalchemy import BigInteger, Boolean, DateTime, Double, Float, Integer, String, Text
from sqlalchemy.types import TypeDecorator, TypeEngine

ID = BigInteger().with_variant(Integer, "sqlite")
"""Surrogate keys: 64-bit on PostgreSQL, INTEGER on SQLite so that it is the rowid and autoincrements."""

POLARS_TO_SQL: dict[str, type[TypeEngine]] = {
    "String": Text,
    "Int64": BigInteger,
    "Float64": Double,
    "Boolean": Boolean,
}
"""The SQL type of each staged polars dtype name (schemas.tables.staged_dtypes)."""


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every dialect (SQLite stores it naive, in UTC, and gets it back aware)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:  # type: ignore[no-untyped-def]
        """Refuse naive datetimes; store UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("warehouse timestamps must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:  # type: ignore[no-untyped-def]
        """Return an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def sql_to_polars(sql_type: TypeEngine) -> pl.DataType:
    """The polars dtype that holds values of ``sql_type`` without loss."""
    if isinstance(sql_type, UtcDateTime):
        return pl.Datetime("us", "UTC")
    if isinstance(sql_type, Boolean):
        return pl.Boolean()
    if isinstance(sql_type, (Integer, BigInteger)):
        return pl.Int64()
    if isinstance(sql_type, (Double, Float)):
        return pl.Float64()
    if isinstance(sql_type, String):
        return pl.String()
    raise TypeError(f"no polars dtype for SQL type {sql_type!r}")
