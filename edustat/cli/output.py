"""Writing a frame out as the user asked: a terminal table, CSV, XLSX or JSON, safe to open in Excel."""

from __future__ import annotations

import io
import sys
from enum import Enum
from pathlib import Path

import polars as pl
from rich import box
from rich.console import Console
from rich.table import Table

_FORMULA_START = r"^[=+\-@\t\r]"


class OutputFormat(str, Enum):
    """The formats of exported tables."""

    table = "table"
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells that Excel would read as a formula with a quote; numbers stay numbers."""
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(_FORMULA_START))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in text_columns
    )


def write_frame(frame: pl.DataFrame, output_format: OutputFormat, out: Path | None) -> None:
    """Write ``frame`` in ``output_format`` to ``out`` (stdout when None, except for XLSX)."""
    if output_format is OutputFormat.table:
        _emit(render_table(frame), out)
    elif output_format is OutputFormat.csv:
        _emit(neutralise_formulas(frame).write_csv(), out)
    elif output_format is OutputFormat.json:
        _emit(frame.write_json() + "\n", out)
    else:
        target = out or Path("export.xlsx")
        neutralise_formulas(frame).write_excel(target, autofit=True)


def render_table(frame: pl.DataFrame) -> str:
    """The frame as a terminal table that keeps Chinese text aligned; empty cells show as —."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for name, dtype in frame.schema.items():
        table.add_column(name, justify="right" if dtype.is_numeric() else "left", overflow="fold")
    for row in frame.iter_rows():
        table.add_row(*("—" if cell is None else str(cell) for cell in row))
    console = Console(width=200, record=True, file=io.StringIO(), highlight=False)
    console.print(table)
    return console.export_text()


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        Path(out).write_text(text, encoding="utf-8")
