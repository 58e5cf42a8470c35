"""`edustat run`: the yearly flow for one year."""

from __future__ import annotations

from typing import Annotated

import typer

from config import ConfigError
from edustat.cli.app import app
from edustat.cli.common import InputOption, RegionsOption, WarehouseOption, YearOption, apply_overrides, console, fail
from edustat.outcome import RunOutcome
from edustat.summary import counts_by, first_problems, location

EXIT_CODES = {"succeeded": 0, "unchanged": 0, "rejected": 1, "failed": 3}
"""Contract §6: 0 loaded or unchanged, 1 rejected, 2 wrong usage (Typer's own); 3 when the run failed."""


@app.command()
def run(
    year: YearOption,
    input: InputOption,
    reason: Annotated[str | None, typer.Option("--reason", help="Why this run (e.g. a county's correction); kept with every value it writes.")] = None,
    warehouse: WarehouseOption = None,
    regions: RegionsOption = None,
) -> None:
    """The yearly flow: ingest, validate, aggregate and load one year (exit 0 loaded/unchanged, 1 rejected)."""
    apply_overrides(warehouse, regions)
    outcome = execute_run(year, str(input), reason)
    print_outcome(outcome)
    raise typer.Exit(EXIT_CODES[outcome.status])


def execute_run(year: int, input_dir: str, reason: str | None) -> RunOutcome:
    """Run the yearly flow in this process; configuration errors end the command with a message, not a traceback."""
    from flows.yearly import yearly_flow

    try:
        return yearly_flow(year=year, input_dir=input_dir, reason=reason, trigger="manual")
    except ConfigError as error:
        raise fail(f"configuration error / 配置错误: {error}") from None


def print_outcome(outcome: RunOutcome) -> None:
    """What the statistician reads after a run."""
    head = f"{outcome.year}: run {outcome.run_id} {outcome.status}"
    if outcome.status == "succeeded":
        console.print(
            f"[green]{head}[/green] — {outcome.values_added} values added, {outcome.values_changed} changed, "
            f"{outcome.values_unchanged} unchanged; {outcome.warning_count} warnings"
        )
    elif outcome.status == "unchanged":
        console.print(f"[green]{head}[/green] — inputs byte-for-byte identical to the current version; nothing written")
    elif outcome.status == "failed":
        console.print(f"[red]{head}[/red] — {outcome.message}; the previous version stays current")
    else:
        console.print(f"[red]{head}[/red] — {outcome.error_count} errors, {outcome.warning_count} warnings; nothing loaded")
    if outcome.issues.is_empty():
        return
    if outcome.status == "rejected":
        console.print("\nProblems by file / 按文件:")
        for row in counts_by(outcome.issues, "source_file").iter_rows(named=True):
            console.print(f"  {row['source_file']}: {row['errors']} errors, {row['warnings']} warnings")
        console.print("Problems by rule / 按规则:")
        for row in counts_by(outcome.issues, "rule").iter_rows(named=True):
            console.print(f"  {row['rule']}: {row['errors']} errors, {row['warnings']} warnings")
    console.print("\nFirst problems / 前几个问题:")
    for row in first_problems(outcome.issues).iter_rows(named=True):
        console.print(f"  [{row['severity']}] {location(row)}\n      {row['message_zh']}\n      {row['message_en']}")
    if outcome.error_workbook:
        console.print(f"\nError workbook / 错误标注工作簿: {outcome.error_workbook}")
