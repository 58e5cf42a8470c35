"""`edustat demo`: the sample in, 2019 and 2020 loaded, the prefecture's 2020 figures beside the report's."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from edustat.cli.app import app
from edustat.cli.commands.indicators import current_indicator_values
from edustat.cli.commands.run import execute_run, print_outcome
from edustat.cli.common import ChecksOption, IndicatorsOption, WarehouseOption, apply_overrides, checked_configuration, console
from edustat.cli.indicators_table import display_frame
from edustat.cli.output import OutputFormat, write_frame
from edustat.cli.commands.sample import DEFAULT_SEED, DEFAULT_YEARS

DEMO_LEVEL = "prefecture"


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Where the sample spreadsheets go.", file_okay=False)] = Path("data/sample"),
    warehouse: WarehouseOption = None,
    catalogue_file: IndicatorsOption = None,
    checks_file: ChecksOption = None,
) -> None:
    """Generate the sample, load 2019 and 2020, print the prefecture's 2020 values beside the report's figures."""
    from edustat.sample import write_sample

    apply_overrides(warehouse, indicators=catalogue_file, checks=checks_file)
    checked_configuration()
    write_sample(out, DEFAULT_YEARS, seed=DEFAULT_SEED)
    console.print(f"sample for {DEFAULT_YEARS} written below {out}")
    for year in DEFAULT_YEARS:
        outcome = execute_run(year, str((out / str(year)).resolve()), "demo")
        print_outcome(outcome)
        if outcome.status not in ("succeeded", "unchanged"):
            raise typer.Exit(1)
    values = current_indicator_values(DEFAULT_YEARS[-1], [DEMO_LEVEL])
    write_frame(display_frame(values), OutputFormat.table, None)
    compared = values.filter(pl.col("matches").is_not_null())
    matched = compared.filter(pl.col("matches")).height
    console.print(f"\n{matched} of {compared.height} published figures reproduced at the report's precision.")
    raise typer.Exit(0 if matched == compared.height else 1)
