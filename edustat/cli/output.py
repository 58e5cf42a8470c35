"""Writing a frame out as the user asked: a terminal table, CSV, XLSX or JSON, safe to open in Excel."""

from __future__ import annotations

import io
import sys
from enum import Enum
from pathlib import Path

import polars as pl
import polars.selectors as cs
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from edustat.summary import printable

_FORMULA_START = r"^[=+\-@\t\r]"
"""What Excel (and LibreOffice) read as the start of a formula when a CSV cell or a typed cell begins with it."""

_TEXT_TYPES = (pl.String, pl.Categorical, pl.Enum)


class OutputFormat(str, Enum):
    """The formats of exported tables."""

    table = "table"
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


def neutralise_text(text: str) -> str:
    """``text`` with a leading quote when Excel would read it as a formula (=, +, -, @, tab, carriage return)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells and column names that Excel would read as a formula with a quote; numbers stay numbers.

    Grain: the frame's own rows, unchanged in number and order.
    """
    text_columns = [name for name, dtype in frame.schema.items() if isinstance(dtype, _TEXT_TYPES)]
    neutralised = frame.with_columns(
        pl.when(pl.col(c).cast(pl.String).str.contains(_FORMULA_START))
        .then(pl.lit("'") + pl.col(c).cast(pl.String))
        .otherwise(pl.col(c).cast(pl.String))
        .alias(c)
        for c in text_columns
    )
    return neutralised.rename({name: neutralise_text(name) for name in frame.columns if neutralise_text(name) != name})


def excel_ready(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame as an XLSX can hold it: text kept as it is, time-zoned timestamps as UTC wall time (Excel has no zones)."""
    return frame.with_columns(
        pl.col(name).dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None
    ).with_columns(pl.col(name).cast(pl.String) for name, dtype in frame.schema.items() if isinstance(dtype, (pl.Categorical, pl.Enum)))


def write_xlsx(frame: pl.DataFrame, target: Path) -> None:
    """Write ``frame`` as one sheet; every text cell and header is a string with Excel's quote prefix, so it never runs as a formula."""
    # Text cells stay exactly as stored (no visible quote): quotePrefix marks them text even when edited in Excel.
    excel_ready(frame).write_excel(
        target,
        autofit=True,
        column_formats={cs.string(): {"quote_prefix": True}},
        header_format={"bold": True, "quote_prefix": True},
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
        write_xlsx(frame, out or Path("export.xlsx"))


def render_table(frame: pl.DataFrame) -> str:
    """The frame as a terminal table that keeps Chinese text aligned; empty cells show as —."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for name, dtype in frame.schema.items():
        table.add_column(name, justify="right" if dtype.is_numeric() else "left", overflow="fold")
    for row in frame.iter_rows():
        # Text, not markup, with control characters escaped: a value or name can neither style nor drive the terminal.
        table.add_row(*(Text("—" if cell is None else printable(cell)) for cell in row))
    console = Console(width=200, record=True, file=io.StringIO(), highlight=False)
    console.print(table)
    return console.export_text()


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        Path(out).write_text(text, encoding="utf-8")
