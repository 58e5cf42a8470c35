"""What the report reads from the warehouse: a year's values (current, or as one run published them), last year's, names and runs."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine, func, select, true

from schemas.completeness.wording import region_completeness
from schemas.report_frames import ReportFrames, unknown_completeness
from warehouse.correction import current_run_id
from warehouse.errors import WarehouseError
from warehouse.frames import fetch_frame
from warehouse.read import published_values, year_reporting_status
from warehouse.schema import etl_run, indicator, indicator_value, region


def _values(engine: Engine, year: int, run_id: int | None) -> pl.DataFrame:
    """Values of ``year``: the current ones, or those that stood when run ``run_id`` committed."""
    if run_id is not None:
        return published_values(engine, year, run_id).select("region_code", "indicator_code", "value", "run_id")
    v = indicator_value.c
    statement = select(v.region_code, v.indicator_code, v.value, v.run_id).where(v.year == year, v.is_current == true())
    with engine.connect() as conn:
        return fetch_frame(conn, statement.order_by(v.region_code, v.indicator_code))


def _runs(engine: Engine, run_ids: list[int]) -> pl.DataFrame:
    r = etl_run.c
    statement = select(r.run_id, r.year, r.status, r.trigger, r.reason, r.started_at, r.finished_at).where(r.run_id.in_(run_ids)).order_by(r.run_id)
    with engine.connect() as conn:
        return fetch_frame(conn, statement)


def read_report_frames(engine: Engine, year: int, run_id: int | None = None) -> ReportFrames:
    """The report's frames for ``year``: current values, or with ``run_id`` the version that run published (and last year as it stood then).

    Raises WarehouseError when the run is unknown, of another year, or inserted no values of the year.
    """
    if run_id is not None:
        runs = _runs(engine, [run_id])
        if runs.is_empty():
            raise WarehouseError(f"run {run_id} is not in the warehouse / 运行 {run_id} 不存在")
        run = runs.row(0, named=True)
        if run["year"] != year:
            raise WarehouseError(f"run {run_id} is a run of {run['year']}, not {year} / 运行 {run_id} 属于 {run['year']} 年")
    values = _values(engine, year, run_id)
    if values.is_empty():
        if run_id is None:
            raise WarehouseError(f"no values for {year} in the warehouse; run `edustat run --year {year} --input DIR` first / 仓库中没有 {year} 年的数据")
        raise WarehouseError(f"run {run_id} loaded no values (status {run['status']}) / 运行 {run_id} 未载入数据")
    previous = _values(engine, year - 1, run_id)
    with engine.connect() as conn:
        g = region.c
        # A partial region goes by the name that says it covers its listed children only (contract §1): never as itself.
        regions = fetch_frame(
            conn,
            select(
                g.region_code,
                func.coalesce(g.partial_name_zh, g.name_zh).label("name_zh"),
                func.coalesce(g.partial_name_en, g.name_en).label("name_en"),
                g.region_level,
                g.parent_code,
                g.is_partial,
            ),
        )
        i = indicator.c
        indicators = fetch_frame(
            conn,
            select(i.indicator_code, i.name_zh, i.name_en, i.section, i.section_name_zh, i.section_name_en, i.unit, i.unit_zh, i.unit_en, i.catalogue_order)
            .order_by(i.catalogue_order, i.indicator_code),
        )
        is_current_version = run_id is None or current_run_id(conn, year) == run_id
    runs = _runs(engine, sorted(set(values.get_column("run_id").to_list())))
    completeness = region_completeness(year_reporting_status(engine, year)) if is_current_version else unknown_completeness()
    return ReportFrames(
        year=year, values=values, previous=previous, regions=regions, indicators=indicators, runs=runs, pinned_run=run_id, completeness=completeness
    )
