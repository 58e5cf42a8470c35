"""`edustat template`: a blank workbook for a county to fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from edustat.cli.app import app
from edustat.cli.options import console
from edustat.template import write_template
from schemas.rules import load_rules


@app.command()
def template(
    out: Annotated[Path, typer.Option("--out", help="Workbook to write, e.g. template.xlsx.", dir_okay=False)],
) -> None:
    """A blank county workbook: every sheet, Chinese headers with units, drop-down lists, number checks."""
    written = write_template(out, load_rules())
    console.print(f"template written to {written} / 空白模板已写入", markup=False)
