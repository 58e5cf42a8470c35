"""`edustat history`: every version of a year's values with the run and reason behind it, or what one run moved against another."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import polars as pl
import typer

from edustat.cli.app import app
from edustat.cli.common import WarehouseOption, YearOption, apply_overrides, console, fail
from edustat.cli.output import OutputFormat, write_frame
from edustat.indicators.common import DECIMALS
from edustat.settings import load_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

KEY = ["year", "region_code", "indicator_code"]
HISTORY_COLUMNS = [
    *KEY,
    "version",
    "run_id",
    "run_year",
    "started_at",
    "trigger",
    "reason",
    "is_current",
    "is_removed",
    "previous_value",
    "value",
    "change",
    "numerator",
    "denominator",
]
"""The history table: one row per version of each value, oldest version first within a key."""

DIFF_COLUMNS = [
    *KEY,
    "run_a",
    "run_b",
    "value_a",
    "value_b",
    "change_value",
    "numerator_a",
    "numerator_b",
    "denominator_a",
    "denominator_b",
    "change",
]
"""The run comparison: one row per value that runs A and B wrote differently (added, removed or changed from A to B)."""


class HistoryFormat(str, Enum):
    """The formats `edustat history` writes to the terminal."""

    table = "table"
    csv = "csv"
    json = "json"


HISTORY_TABLE = ["region_code", "indicator_code", "version", "run_id", "started", "trigger", "reason", "is_current", "previous_value", "value", "change"]
DIFF_TABLE = ["region_code", "indicator_code", "value_a", "value_b", "change_value", "change"]
"""The columns the terminal shows; CSV and JSON keep every column."""


def version_history(history: pl.DataFrame) -> pl.DataFrame:
    """Versions with their ordinal and change: one row per region per indicator per loading run (read.history's frame in, HISTORY_COLUMNS out).

    change = value − previous_value at the stored precision, NULL when either side is NULL (a value appearing or vanishing).
    """
    return history.with_columns(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).over(KEY).alias("version"),
        (pl.col("value") - pl.col("previous_value")).round(DECIMALS).alias("change"),
    ).select(HISTORY_COLUMNS)


def history_table(versions: pl.DataFrame) -> pl.DataFrame:
    """The terminal view of version_history: fewer columns, the start time to the minute."""
    return versions.with_columns(pl.col("started_at").dt.strftime("%Y-%m-%d %H:%M").alias("started")).select(HISTORY_TABLE)


def changed_versions(versions: pl.DataFrame) -> pl.DataFrame:
    """Only the versions whose value differs from the version before (NULL ≠ a number; first versions dropped)."""
    return versions.filter((pl.col("version") > 1) & ~pl.col("value").eq_missing(pl.col("previous_value")))


def run_differences(diff: pl.DataFrame, run_a: int, run_b: int, year: int, indicator: str | None, region: str | None) -> pl.DataFrame:
    """What run B wrote differently from run A for ``year`` (read.run_diff's frame in, DIFF_COLUMNS out): one row per moved value."""
    selected = diff.filter(pl.col("year") == year, pl.col("change") != "unchanged")
    if indicator is not None:
        selected = selected.filter(pl.col("indicator_code") == indicator)
    if region is not None:
        selected = selected.filter(pl.col("region_code") == region)
    return selected.with_columns(
        pl.lit(run_a, dtype=pl.Int64).alias("run_a"),
        pl.lit(run_b, dtype=pl.Int64).alias("run_b"),
        (pl.col("value_b") - pl.col("value_a")).round(DECIMALS).alias("change_value"),
    ).select(DIFF_COLUMNS)


def describe_run(run: dict[str, Any]) -> str:
    """One line naming a run: id, year, trigger, start time and reason."""
    reason = f", reason: {run['reason']}" if run.get("reason") else ""
    return f"run {run['run_id']} of {run['year']} ({run['trigger']}, {run['status']}, started {run['started_at']:%Y-%m-%d %H:%M:%S}{reason})"


@app.command()
def history(
    year: YearOption,
    indicator: Annotated[str | None, typer.Option("--indicator", help="One indicator code (`edustat indicators --catalogue` lists them).")] = None,
    region: Annotated[str | None, typer.Option("--region", help="One region code, e.g. 622921.")] = None,
    runs: Annotated[
        list[int] | None, typer.Option("--run", help="Give twice (--run A --run B) to see what run B moved against run A.")
    ] = None,
    changed_only: Annotated[bool, typer.Option("--changed-only", help="Only versions whose value differs from the one before.")] = False,
    output_format: Annotated[HistoryFormat, typer.Option("--format", help="table, csv or json.")] = HistoryFormat.table,
    warehouse: WarehouseOption = None,
) -> None:
    """Every version of each value of a year, with the run, its trigger and reason, and the change from the version before."""
    if runs is not None and len(runs) != 2:
        raise typer.BadParameter("give --run exactly twice: --run A --run B", param_hint="--run")
    apply_overrides(warehouse)
    engine = _warehouse_engine()
    is_table = output_format is HistoryFormat.table
    if runs is None:
        frame = _history_frame(engine, year, indicator, region, changed_only)
        shown = history_table(frame) if is_table else frame
    else:
        frame = _diff_frame(engine, runs[0], runs[1], year, indicator, region, output_format)
        shown = frame.select(DIFF_TABLE) if is_table else frame
    write_frame(shown, OutputFormat(output_format.value), None)


def _warehouse_engine() -> Engine:
    """The warehouse engine, or a friendly exit when the warehouse holds no edustat tables yet."""
    from sqlalchemy import inspect

    from warehouse.engine import get_engine, safe_url

    url = load_settings().warehouse_url
    engine = get_engine(url)
    if not inspect(engine).has_table("etl_run"):
        raise fail(f"no edustat warehouse at {safe_url(url)}; run `edustat run --year Y --input DIR` first", 1)
    return engine


def _history_frame(engine: Engine, year: int, indicator: str | None, region: str | None, changed_only: bool) -> pl.DataFrame:
    from warehouse.read import history as read_history

    versions = version_history(read_history(engine, year, indicator, region))
    if versions.is_empty():
        raise fail(f"no values of {year} match in the warehouse", 1)
    return changed_versions(versions) if changed_only else versions


def _diff_frame(
    engine: Engine, run_a: int, run_b: int, year: int, indicator: str | None, region: str | None, output_format: HistoryFormat
) -> pl.DataFrame:
    from warehouse.read import run_diff
    from warehouse.runs import get_run

    described = {}
    for run_id in (run_a, run_b):
        run = get_run(engine, run_id)
        if run is None:
            raise fail(f"run {run_id} is not in the warehouse; `edustat history --year {year}` lists the runs that wrote values", 1)
        if run["status"] != "succeeded":
            raise fail(f"run {run_id} was {run['status']} and wrote no values; compare two runs that loaded (status succeeded)", 1)
        described[run_id] = describe_run(run)
    moved = run_differences(run_diff(engine, run_a, run_b, year), run_a, run_b, year, indicator, region)
    if output_format is HistoryFormat.table:
        console.print(f"A = {described[run_a]}\nB = {described[run_b]}")
        console.print(f"{moved.height} values of {year} differ from A to B")
    return moved
