"""`edustat history`: every version of a year's values with the run and reason behind it, or what one run moved against another."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import polars as pl
import typer
from sqlalchemy import true

from edustat.cli.app import app
from edustat.cli.options import EncodingOption, ExportLanguageOption, Language, WarehouseOption, YearOption, apply_overrides, console, fail
from edustat.cli.output import FormatOption, OutFileOption, OutputFormat, require_out_for_xlsx, write_frame
from edustat.indicators.exact_sums import DECIMALS
from edustat.settings import load_settings
from edustat.words import unknown_code_message
from schemas.words import plural

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


HISTORY_TABLE = ["region_code", "region", "indicator_code", "indicator", "version", "run_id", "started", "trigger", "reason", "is_current", "previous_value", "value", "change"]
DIFF_TABLE = ["region_code", "region", "indicator_code", "indicator", "value_a", "value_b", "change_value", "change"]
"""The columns the terminal shows (names in the --lang asked beside the codes); the files keep every column."""

NAME_COLUMNS = ["region_name_zh", "region_name_en", "indicator_name_zh", "indicator_name_en"]
"""The names a file's rows carry beside their codes (a partial region under its partial name)."""


def with_names(frame: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (history or comparison rows) with each row's region and indicator names after its codes; one row per input row, order kept.

    ``names``: one row per region_code × indicator_code with NAME_COLUMNS (names_of reads it).
    """
    joined = frame.join(names, on=["region_code", "indicator_code"], how="left", maintain_order="left")
    beside = ["year", "region_code", "region_name_zh", "region_name_en", "indicator_code", "indicator_name_zh", "indicator_name_en"]
    return joined.select(*beside, *(c for c in frame.columns if c not in beside))


def terminal_view(frame: pl.DataFrame, columns: list[str], lang: str) -> pl.DataFrame:
    """The terminal's columns of ``frame``: ``columns``, where region and indicator are the names in ``lang``."""
    named = frame.with_columns(pl.col(f"region_name_{lang}").alias("region"), pl.col(f"indicator_name_{lang}").alias("indicator"))
    if "started_at" in named.columns:
        named = named.with_columns(pl.col("started_at").dt.strftime("%Y-%m-%d %H:%M").alias("started"))
    return named.select(columns)


def version_history(history: pl.DataFrame) -> pl.DataFrame:
    """Versions with their ordinal and change: one row per region per indicator per loading run (read.history's frame in, HISTORY_COLUMNS out).

    change = value − previous_value at the stored precision, NULL when either side is NULL (a value appearing or vanishing).
    """
    return history.with_columns(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).over(KEY).alias("version"),
        (pl.col("value") - pl.col("previous_value")).round(DECIMALS).alias("change"),
    ).select(HISTORY_COLUMNS)


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
    output_format: FormatOption = OutputFormat.table,
    out: OutFileOption = None,
    lang: ExportLanguageOption = None,
    encoding: EncodingOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Every version of each value of a year, with the run, its trigger and reason, and the change from the version before."""
    if runs is not None and len(runs) != 2:
        raise typer.BadParameter("give --run exactly twice: --run A --run B / 请给出两次 --run", param_hint="--run")
    require_out_for_xlsx(output_format, out)
    apply_overrides(warehouse)
    engine = _warehouse_engine()
    if indicator is not None:
        _check_indicator(engine, indicator)
    is_table = output_format is OutputFormat.table
    names = (lang or Language.zh).value
    if runs is None:
        frame = with_names(_history_frame(engine, year, indicator, region, changed_only), names_of(engine))
        shown = terminal_view(frame, HISTORY_TABLE, names) if is_table else frame
        sheet = f"历史 {year}" if names == "zh" else f"history {year}"
    else:
        frame = with_names(_diff_frame(engine, runs[0], runs[1], year, indicator, region, output_format), names_of(engine))
        shown = terminal_view(frame, DIFF_TABLE, names) if is_table else frame
        sheet = f"运行{runs[0]}与{runs[1]}比较" if names == "zh" else f"run {runs[0]} vs {runs[1]}"
    write_frame(shown, output_format, out, lang=lang.value if lang else None, encoding=encoding, sheet=sheet)


def names_of(engine: Engine) -> pl.DataFrame:
    """One row per region × indicator code of the warehouse with NAME_COLUMNS: a partial region under its partial name."""
    from sqlalchemy import func, select

    from warehouse.frames import fetch_frame
    from warehouse.schema import indicator, region

    g, i = region.c, indicator.c
    statement = select(
        g.region_code,
        i.indicator_code,
        func.coalesce(g.partial_name_zh, g.name_zh).label("region_name_zh"),
        func.coalesce(g.partial_name_en, g.name_en).label("region_name_en"),
        i.name_zh.label("indicator_name_zh"),
        i.name_en.label("indicator_name_en"),
    ).select_from(region.join(indicator, true()))
    with engine.connect() as conn:
        return fetch_frame(conn, statement)


def _check_indicator(engine: Engine, code: str) -> None:
    """A code the warehouse has never held ends the command (exit 2) with the closest codes."""
    from sqlalchemy import select

    from warehouse.schema import indicator

    with engine.connect() as conn:
        known = list(conn.scalars(select(indicator.c.indicator_code)))
    if code not in known:
        raise fail(unknown_code_message(code, known), 2)


def _warehouse_engine() -> Engine:
    """The warehouse engine, or a friendly exit when the warehouse holds no edustat tables yet."""
    from sqlalchemy import inspect

    from warehouse.engine import get_engine, safe_url

    url = load_settings().warehouse_url
    engine = get_engine(url)
    if not inspect(engine).has_table("etl_run"):
        raise fail(f"no edustat warehouse at {safe_url(url)}; run `edustat run --year Y --input DIR` first / 该地址没有 edustat 数据仓库，请先运行 edustat run", 1)
    return engine


def _history_frame(engine: Engine, year: int, indicator: str | None, region: str | None, changed_only: bool) -> pl.DataFrame:
    from warehouse.read import history as read_history

    versions = version_history(read_history(engine, year, indicator, region))
    if versions.is_empty():
        raise fail(f"no values of {year} match in the warehouse / 仓库中没有符合条件的 {year} 年数值", 1)
    return changed_versions(versions) if changed_only else versions


def _diff_frame(
    engine: Engine, run_a: int, run_b: int, year: int, indicator: str | None, region: str | None, output_format: OutputFormat
) -> pl.DataFrame:
    from warehouse.read import run_diff
    from warehouse.runs import get_run

    described = {}
    for run_id in (run_a, run_b):
        run = get_run(engine, run_id)
        if run is None:
            raise fail(f"run {run_id} is not in the warehouse; `edustat runs --year {year}` lists the runs / 仓库中没有运行 {run_id}", 1)
        if run["status"] != "succeeded":
            raise fail(f"run {run_id} was {run['status']} and wrote no values; compare two runs that loaded (status succeeded) / 运行 {run_id} 未载入数值，请比较两次成功的运行", 1)
        described[run_id] = describe_run(run)
    moved = run_differences(run_diff(engine, run_a, run_b, year), run_a, run_b, year, indicator, region)
    if output_format is OutputFormat.table:
        console.print(f"A = {described[run_a]}\nB = {described[run_b]}", markup=False)
        console.print(f"{plural(moved.height, 'value')} of {year} {'differs' if moved.height == 1 else 'differ'} from A to B / {year} 年有 {moved.height} 个值在 A 与 B 之间不同", markup=False)
    return moved
