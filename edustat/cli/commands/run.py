"""`edustat run`: the yearly flow for one year."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from config import ConfigError
from edustat.cli.app import app
from edustat.cli.options import (
    ChecksOption,
    IndicatorsOption,
    InputOption,
    RegionsOption,
    WarehouseOption,
    YearOption,
    apply_overrides,
    checked_configuration,
    connect_prefect,
    console,
    fail,
)
from edustat.cli.problems import print_problems
from edustat.outcome import RunOutcome
from edustat.summary import printable
from runtime import interrupt
from schemas.words import plural

EXIT_CODES = {"succeeded": 0, "unchanged": 0, "rejected": 1, "failed": 3}
"""Contract §6: 0 loaded or unchanged, 1 rejected, 2 wrong usage (Typer's own); 3 when the run failed."""


@app.command()
def run(
    year: YearOption,
    input: InputOption,
    reason: Annotated[str | None, typer.Option("--reason", help="Why this run (e.g. a county's correction); kept with every value it writes.")] = None,
    warehouse: WarehouseOption = None,
    regions: RegionsOption = None,
    catalogue_file: IndicatorsOption = None,
    allow_incomplete: Annotated[
        bool,
        typer.Option(
            "--allow-incomplete",
            help="Load the year although counties, tables or school rows are missing (stored as warnings; reporting_status says what is missing).",
        ),
    ] = False,
    checks_file: ChecksOption = None,
) -> None:
    """The yearly flow: ingest, validate, aggregate and load one year (exit 0 loaded/unchanged, 1 rejected)."""
    apply_overrides(warehouse, regions, catalogue_file, checks_file)
    outcome = execute_run(year, str(input), reason, allow_incomplete)
    print_outcome(outcome)
    raise typer.Exit(EXIT_CODES[outcome.status])


def execute_run(year: int, input_dir: str, reason: str | None, allow_incomplete: bool = False) -> RunOutcome:
    """Run the yearly flow in this process; configuration errors end the command (exit 2) before any input is read."""
    from edustat.settings import load_settings

    settings = load_settings()
    checked_configuration(settings)
    connect_prefect()
    from flows.runners import configured_yearly_flow
    from flows.scheduled import end_as_failed, failure_message
    from runtime.quiet_prefect import keep_failures_off_the_terminal

    # After the flows' import: Prefect sets up its console handler as it is imported.
    keep_failures_off_the_terminal()
    # After the flows' import too: Polars, imported with them, takes SIGINT over (runtime.interrupt.install).
    interrupt.install()
    try:
        state = configured_yearly_flow(settings)(
            year=year, input_dir=input_dir, reason=reason, trigger="manual", allow_incomplete=allow_incomplete, return_state=True
        )
        outcome: RunOutcome = state.result()
    except ConfigError as error:
        raise fail(f"configuration error / 配置错误: {error}") from None
    message = failure_message(outcome)
    if message is not None:
        # As the deployments do: the Prefect UI and its notifications flag a rejected or failed year.
        end_as_failed(state.state_details.flow_run_id, message)
    return outcome


def print_outcome(outcome: RunOutcome) -> None:
    """What the statistician reads after a run."""
    head = f"{outcome.year}: run {outcome.run_id} {outcome.status}"
    if outcome.status == "succeeded":
        console.print(
            f"[green]{head}[/green] — {outcome.values_added} values added, {outcome.values_changed} changed, "
            f"{outcome.values_unchanged} unchanged; {plural(outcome.warning_count or 0, 'warning')}"
        )
        if outcome.message:
            console.print(f"  {escape(printable(outcome.message))}")
    elif outcome.status == "unchanged":
        console.print(f"[green]{head}[/green] — inputs byte-for-byte identical to the current version; nothing written / 输入与当前版本完全相同，未写入")
    elif outcome.status == "failed":
        console.print(f"[red]{head}[/red] — {escape(printable(outcome.message or ''))}; the previous version stays current / 运行失败，上一版本保持不变")
    else:
        console.print(f"[red]{head}[/red] — {plural(outcome.error_count or 0, 'error')}, {plural(outcome.warning_count or 0, 'warning')}; nothing loaded / 未载入")
    if outcome.completeness:
        style = "green" if "missing" not in outcome.completeness else "yellow"
        console.print(f"  completeness / 完整性: [{style}]{escape(outcome.completeness)}[/{style}]")
    print_problems(outcome.issues, outcome.error_workbook, by_file=outcome.status == "rejected")
