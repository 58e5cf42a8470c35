"""`edustat demo`: the sample in, 2019 and 2020 loaded into a warehouse of its own, the prefecture's 2020 figures beside the report's."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from edustat.cli.app import app
from edustat.cli.commands.indicators import current_indicator_values
from edustat.cli.commands.run import execute_run, print_outcome
from edustat.cli.commands.sample import DEFAULT_SEED, DEFAULT_YEARS
from edustat.cli.indicators_table import display_frame
from edustat.cli.options import ChecksOption, IndicatorsOption, apply_overrides, checked_configuration, console, fail
from edustat.cli.output import OutputFormat, write_frame

DEMO_LEVEL = "prefecture"
DEFAULT_DEMO_DIR = Path("edustat-demo")
MARKER = ".edustat-demo"
"""The file that makes a folder the demo's own: only such a folder is replaced by the next demo."""
WAREHOUSE_FILE = "edustat.db"
DATA_DIR = "data"


def demo_folder(out: Path) -> Path:
    """``out`` emptied for a new demo: created when absent, replaced when an earlier demo made it; any other folder with files in it is refused (exit 2)."""
    if out.exists() and not out.is_dir():
        raise fail(f"{out} is a file, not a folder; choose another --out / {out} 是文件而不是目录，请换一个 --out", 2)
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise fail(
                f"{out} holds files that the demo did not write; it is left as it is. Choose another --out "
                f"/ {out} 中有不是演示写入的文件，未作改动；请换一个 --out",
                2,
            )
        from warehouse.engine import dispose_engines

        # No pooled connection may keep writing to the old warehouse file once it is deleted.
        dispose_engines()
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Written by `edustat demo`; the next `edustat demo --out` here replaces this folder.\n", encoding="utf-8")
    return out


def shown_path(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it (as a user would type it), else absolute."""
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(resolved)


@app.command()
def demo(
    out: Annotated[
        Path, typer.Option("--out", help="The demo's own folder: sample spreadsheets, warehouse and report; a later demo replaces it.", file_okay=False)
    ] = DEFAULT_DEMO_DIR,
    catalogue_file: IndicatorsOption = None,
    checks_file: ChecksOption = None,
) -> None:
    """Generate the sample, load 2019 and 2020, print the prefecture's 2020 values beside the report's figures.

    Everything goes into a folder of its own (edustat-demo/, or --out): the sample spreadsheets below
    data/, the warehouse edustat.db and the report. ./edustat.db and your own data are never touched.
    """
    from edustat.cli.commands.report import report
    from edustat.cli.options import Language
    from edustat.sample import write_sample
    from edustat.settings import load_settings

    apply_overrides(indicators=catalogue_file, checks=checks_file)
    checked_configuration(load_settings())
    folder = demo_folder(out)
    data = folder / DATA_DIR
    warehouse_url = f"sqlite:///{shown_path(folder / WAREHOUSE_FILE)}"
    # The demo's warehouse and error workbooks are its own, whatever the environment names for real runs.
    apply_overrides(f"sqlite:///{(folder / WAREHOUSE_FILE).resolve()}")
    os.environ["EDUSTAT_ERROR_WORKBOOK_DIR"] = str((folder / "errors").resolve())
    write_sample(data, DEFAULT_YEARS, seed=DEFAULT_SEED)
    console.print(f"sample for {DEFAULT_YEARS} written below {shown_path(data)} / 样例数据已写入", markup=False)
    for year in DEFAULT_YEARS:
        outcome = execute_run(year, str((data / str(year)).resolve()), "demo")
        print_outcome(outcome)
        if outcome.status not in ("succeeded", "unchanged"):
            raise typer.Exit(1)
    year = DEFAULT_YEARS[-1]
    # The demo's own warehouse, set above: the settings as they stand now.
    values = current_indicator_values(year, [DEMO_LEVEL], load_settings())
    write_frame(display_frame(values), OutputFormat.table, None)
    compared = values.filter(pl.col("matches").is_not_null())
    matched = compared.filter(pl.col("matches")).height
    console.print(f"\n{matched} of {compared.height} published figures reproduced at the report's precision / 已复现 {matched} 个公布数字（共 {compared.height} 个）")
    report_file = folder / f"report_{year}.html"
    try:
        report(year=year, out=report_file, lang=Language.zh, run=None, region=None, warehouse=None)
    except typer.Exit as ended:
        if ended.exit_code:
            raise
    _print_where(folder, warehouse_url, report_file, year)
    raise typer.Exit(0 if matched == compared.height else 1)


def _print_where(folder: Path, warehouse_url: str, report_file: Path, year: int) -> None:
    """The demo's last lines: where its warehouse and report are, and the commands that look at them."""
    lines = [
        "",
        f"demo folder / 演示目录: {shown_path(folder)}",
        f"  warehouse / 数据仓库: {shown_path(folder / WAREHOUSE_FILE)}",
        f"  report / 报告:       {shown_path(report_file)}",
        "look at it / 查看:",
        f"  uv run edustat indicators --year {year} --warehouse {warehouse_url}",
        f"  uv run edustat runs --warehouse {warehouse_url}",
    ]
    for line in lines:
        console.print(line, markup=False)
