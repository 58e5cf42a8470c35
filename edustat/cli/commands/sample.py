"""`edustat sample`: realistic sample spreadsheets for the default region."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from edustat.cli.app import app
from edustat.cli.common import console

DEFAULT_YEARS = [2019, 2020]
DEFAULT_SEED = 2021


@app.command()
def sample(
    out: Annotated[Path, typer.Option("--out", help="Folder to write {year}/ subfolders into.", file_okay=False)],
    years: Annotated[list[int] | None, typer.Option("--years", help="Years to write (repeat or list: --years 2019 --years 2020).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed writes the same bytes.")] = DEFAULT_SEED,
) -> None:
    """Write realistic sample spreadsheets of the default region for every year asked."""
    from edustat.sample import write_sample

    written = write_sample(out, years or DEFAULT_YEARS, seed=seed)
    console.print(f"{len(written)} files written below {out}")
