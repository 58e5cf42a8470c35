"""A query's rows as a polars frame: one typed column per result column, whatever the database returned."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import polars as pl

_NATIVE = ({bool}, {str}, {Decimal}, {dt.date}, {dt.datetime}, {dt.time}, {dt.timedelta})
"""Sets of Python types that polars stores natively, one dtype each."""


def unique_names(names: Sequence[str]) -> list[str]:
    """Column names made unique in order: a repeated name gets _2, _3, … (SELECT 1, 1 names both columns alike)."""
    seen: dict[str, int] = {}
    result: list[str] = []
    for name in names:
        candidate = name or "column"
        count = seen.get(candidate, 0)
        while True:
            count += 1
            unique = candidate if count == 1 else f"{candidate}_{count}"
            if unique not in result:
                break
        seen[candidate] = count
        result.append(unique)
    return result


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def result_column(name: str, values: list[Any]) -> pl.Series:
    """One result column typed from its values: integers, floats, booleans, text, decimals and dates natively; anything mixed or exotic as text."""
    types = {type(v) for v in values if v is not None}
    try:
        if not types:
            return pl.Series(name, values, dtype=pl.String)
        if types == {int}:
            return pl.Series(name, values, dtype=pl.Int64, strict=True)
        if types <= {int, float}:
            # SQLite columns have no fixed type: 1 and 2.5 in one column are both numbers.
            return pl.Series(name, [None if v is None else float(v) for v in values], dtype=pl.Float64)
        if types in _NATIVE:
            return pl.Series(name, values, strict=True)
    except (TypeError, OverflowError, pl.exceptions.PolarsError):
        pass
    return pl.Series(name, [_as_text(v) for v in values], dtype=pl.String)


def result_frame(names: Sequence[str], rows: Sequence[Sequence[Any]]) -> pl.DataFrame:
    """One row per result row, one column per result column (names made unique)."""
    columns = list(zip(*rows)) if rows else [() for _ in names]
    return pl.DataFrame([result_column(name, list(values)) for name, values in zip(unique_names(names), columns)])
