"""`edustat runs`: the runs of the yearly flow, newest first, with status, reason, counts and the Prefect flow run's address."""

from __future__ import annotations

import os
from typing import Annotated

import polars as pl
import typer

from edustat.cli.app import app
from edustat.cli.options import EncodingOption, ExportLanguageOption, Language, WarehouseOption, apply_overrides, fail
from edustat.cli.output import FormatOption, OutFileOption, OutputFormat, require_out_for_xlsx, write_frame
from edustat.settings import load_settings

RUN_COLUMNS = [
    "run_id", "year", "status", "trigger", "reason", "started_at", "finished_at", "duration_s", "error_count", "warning_count",
    "values_added", "values_changed", "values_unchanged", "values_removed", "flow_run_id", "flow_run_url",
]  # fmt: skip
"""The runs listing: one row per run of the yearly flow, newest first."""

RUNS_TABLE = ["run_id", "year", "status", "trigger", "reason", "started", "duration", "errors", "warnings", "added", "changed", "flow_run_url"]
"""The columns the terminal shows; the files keep every column of RUN_COLUMNS."""


def run_listing(runs: pl.DataFrame, ui_url: str | None) -> pl.DataFrame:
    """The runs of etl_run (one row per run, any order) as RUN_COLUMNS, newest first (start time, then id).

    duration_s: seconds from start to finish, NULL while a run is running; flow_run_url: the run's page in the Prefect UI
    at ``ui_url`` (e.g. http://127.0.0.1:4200), NULL when the UI or the flow run is unknown.
    """
    duration = (pl.col("finished_at") - pl.col("started_at")).dt.total_milliseconds() / 1000
    address = pl.lit(None, dtype=pl.String) if ui_url is None else pl.concat_str(pl.lit(ui_url.rstrip("/") + "/runs/flow-run/"), pl.col("flow_run_id"))
    return (
        runs.with_columns(duration.round(1).alias("duration_s"), address.alias("flow_run_url"))
        .sort(["started_at", "run_id"], descending=True, nulls_last=True)
        .select(RUN_COLUMNS)
    )


def runs_table(listing: pl.DataFrame) -> pl.DataFrame:
    """The terminal view of run_listing: start to the second, duration in seconds, counts under short names."""
    return listing.with_columns(
        pl.col("started_at").dt.strftime("%Y-%m-%d %H:%M:%S").alias("started"),
        pl.when(pl.col("duration_s").is_not_null()).then(pl.format("{} s", pl.col("duration_s"))).alias("duration"),
        pl.col("error_count").alias("errors"),
        pl.col("warning_count").alias("warnings"),
        pl.col("values_added").alias("added"),
        pl.col("values_changed").alias("changed"),
    ).select(RUNS_TABLE)


def prefect_ui_url() -> str | None:
    """Where the Prefect UI is: PREFECT_UI_URL, else the API's address without /api (the user's, or the background server's); None when unknown."""
    from runtime.local_server import API_URL_ENV, is_usable, read_record

    if ui := os.environ.get("PREFECT_UI_URL"):
        return ui
    api = os.environ.get(API_URL_ENV)
    if api is None:
        record = read_record()
        api = record.api_url if record is not None and is_usable(record) else None
    return api.removesuffix("/").removesuffix("/api") if api else None


@app.command()
def runs(
    year: Annotated[int | None, typer.Option("--year", help="Only the runs of this statistical year.", min=1900, max=2999)] = None,
    output_format: FormatOption = OutputFormat.table,
    out: OutFileOption = None,
    lang: ExportLanguageOption = None,
    encoding: EncodingOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """The runs, newest first: status, trigger, reason, start, duration, errors and warnings, values changed, Prefect flow run address."""
    from sqlalchemy import inspect, select

    from warehouse.engine import get_engine, safe_url
    from warehouse.frames import fetch_frame
    from warehouse.schema import etl_run

    require_out_for_xlsx(output_format, out)
    apply_overrides(warehouse)
    url = load_settings().warehouse_url
    engine = get_engine(url)
    if not inspect(engine).has_table("etl_run"):
        raise fail(f"no edustat warehouse at {safe_url(url)}; run `edustat run --year Y --input DIR` first / 该地址没有 edustat 数据仓库，请先运行 edustat run", 1)
    r = etl_run.c
    statement = select(
        r.run_id, r.year, r.status, r.trigger, r.reason, r.started_at, r.finished_at, r.error_count, r.warning_count,
        r.values_added, r.values_changed, r.values_unchanged, r.values_removed, r.flow_run_id,
    )  # fmt: skip
    if year is not None:
        statement = statement.where(r.year == year)
    with engine.connect() as conn:
        found = fetch_frame(conn, statement)
    if found.is_empty():
        which = f" of {year}" if year is not None else ""
        raise fail(f"no runs{which} in the warehouse / 仓库中没有{f' {year} 年的' if year is not None else ''}运行记录", 1)
    listing = run_listing(found, prefect_ui_url())
    names = (lang or Language.zh).value
    shown = runs_table(listing) if output_format is OutputFormat.table else listing
    write_frame(shown, output_format, out, lang=lang.value if lang else None, encoding=encoding, sheet="运行记录" if names == "zh" else "runs")
