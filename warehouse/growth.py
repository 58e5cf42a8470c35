"""The growth indicators of year + 1 refreshed when year is rerun: their values follow the year they grow from."""

from __future__ import annotations

import polars as pl
from sqlalchemy import ColumnElement, Connection, select, true

from warehouse.errors import WarehouseError
from warehouse.schema import indicator, indicator_value
from warehouse.versions import LoadCounts, checked_values, refuse_unknown, replace_values


def _growth_scope() -> ColumnElement[bool]:
    return indicator_value.c.indicator_code.in_(select(indicator.c.indicator_code).where(indicator.c.kind == "growth"))


def refresh_growth(conn: Connection, run_id: int, year: int, growth_values: pl.DataFrame) -> LoadCounts:
    """Make ``growth_values`` the current version of ``year``'s growth indicators only (one row per region per growth code).

    Runs inside the caller's transaction; the caller holds ``year``'s lock (``lock_year``).
    Used when year − 1 is rerun: every current growth row of ``year`` is flipped and the new ones
    inserted under ``run_id`` (the rerun's run), other indicators of the year are untouched.
    """
    what = f"growth refresh of {year}"
    frame = checked_values(growth_values, what)
    refuse_unknown(conn, frame, what)
    growth_codes = set(conn.scalars(select(indicator.c.indicator_code).where(indicator.c.kind == "growth")).all())
    strays = sorted(set(frame.get_column("indicator_code").unique().to_list()) - growth_codes)
    if strays:
        raise WarehouseError(f"{what}: {', '.join(strays[:10])} are not growth indicators")
    is_loaded = conn.scalar(
        select(indicator_value.c.value_id).where(indicator_value.c.year == year, indicator_value.c.is_current == true()).limit(1)
    )
    if is_loaded is None:
        raise WarehouseError(f"{what}: year {year} has no current values to refresh")
    return replace_values(conn, run_id, year, frame, scope=_growth_scope())
