"""Writing a frame out as the user asked: a terminal table, CSV, XLSX or JSON, safe to open in Excel."""

from __future__ import annotations

import io
import shutil
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import polars as pl
import polars.selectors as cs
import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from edustat.cli.headers import with_headers
from edustat.cli.options import CsvEncoding
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


FormatOption = Annotated[OutputFormat, typer.Option("--format", help="table, csv, xlsx or json.")]
"""--format of the commands that export a table, the same on each."""
OutFileOption = Annotated[Path | None, typer.Option("--out", help="File to write (default: the terminal; xlsx needs it).")]
"""--out of the commands that export a table (indicators adds its CSV encoding to the help)."""


def require_out_for_xlsx(output_format: OutputFormat, out: Path | None) -> None:
    """Refuse --format xlsx without --out (a usage error, exit 2) before any work: a workbook cannot go to the terminal."""
    if output_format is OutputFormat.xlsx and out is None:
        raise typer.BadParameter("--format xlsx needs --out FILE.xlsx / xlsx 格式需要 --out 文件", param_hint="--out")


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


_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
EXCEL_SHEET_NAME_MAX = 31


def sheet_name(name: str) -> str:
    """``name`` as Excel accepts a sheet name: at most 31 characters, none of []:*?/\\."""
    return name.translate(_SHEET_FORBIDDEN).strip()[:EXCEL_SHEET_NAME_MAX] or "Sheet1"


def write_xlsx(frame: pl.DataFrame, target: Path, sheet: str | None = None) -> None:
    """Write ``frame`` as one sheet named ``sheet``; every text cell and header is a string with Excel's quote prefix, so it never runs as a formula."""
    # Text cells stay exactly as stored (no visible quote): quotePrefix marks them text even when edited in Excel.
    ready = excel_ready(frame)
    ready.write_excel(
        target,
        worksheet=sheet_name(sheet) if sheet else None,
        autofit=True,
        # Whole numbers as written (a year is 2020, not 2,020); times to the second.
        column_formats={cs.string(): {"quote_prefix": True}, cs.integer(): "0", cs.datetime(): "yyyy-mm-dd hh:mm:ss"},
        header_format={"bold": True, "quote_prefix": True},
        column_widths=_pixel_widths(ready),
    )


_PIXELS_PER_COLUMN = 7
"""About one Latin character of Excel's default font, in pixels; a Chinese character takes two."""


def _pixel_widths(frame: pl.DataFrame) -> dict[str, int]:
    """Widths (pixels) that show whole Chinese text and times: autofit counts a Chinese character as one Latin one."""
    from rich.cells import cell_len

    widths: dict[str, int] = {}
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.Datetime):
            widths[name] = 21 * _PIXELS_PER_COLUMN
        elif dtype == pl.String:
            texts = [name, *(t for t in frame.get_column(name).head(1_000).to_list() if t is not None)]
            widest = max(cell_len(t) for t in texts)
            if any(cell_len(t) != len(t) for t in texts):
                widths[name] = min(widest, 60) * _PIXELS_PER_COLUMN + 2 * _PIXELS_PER_COLUMN
    return widths


def write_frame(
    frame: pl.DataFrame,
    output_format: OutputFormat,
    out: Path | None,
    *,
    lang: str | None = None,
    encoding: CsvEncoding | None = None,
    sheet: str | None = None,
) -> None:
    """Write ``frame`` in ``output_format`` to ``out`` (stdout when None, except for XLSX).

    CSV and XLSX get Chinese headers when ``lang`` is zh (JSON keeps the column names, for programs).
    A CSV file is UTF-8 with a byte-order mark unless ``encoding`` says utf-8; on stdout it is plain
    unless ``encoding`` says utf-8-sig. ``sheet`` names the XLSX sheet after its content.
    """
    if output_format is OutputFormat.table:
        _emit(render_table(frame), out)
    elif output_format is OutputFormat.csv:
        chosen = encoding or (CsvEncoding.utf8_sig if out is not None else CsvEncoding.utf8)
        text = neutralise_formulas(with_headers(frame, lang)).write_csv()
        _emit(("\ufeff" if chosen is CsvEncoding.utf8_sig else "") + text, out)
    elif output_format is OutputFormat.json:
        _emit(frame.write_json() + "\n", out)
    else:
        write_xlsx(with_headers(frame, lang), out or Path("export.xlsx"), sheet)


UNBOUNDED_WIDTH = 200
"""Columns a table may take when the output is no terminal (a pipe, a file) and COLUMNS is not set."""


def terminal_width() -> int:
    """The width tables fit: COLUMNS when set, else the terminal's, else UNBOUNDED_WIDTH."""
    return shutil.get_terminal_size((UNBOUNDED_WIDTH, 24)).columns


def render_table(frame: pl.DataFrame, width: int | None = None) -> str:
    """The frame as a table at most ``width`` display columns wide (default: terminal_width); Chinese characters count
    as two columns and stay aligned, long text wraps inside its cell, numbers never wrap; empty cells show as —."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name, dtype in frame.schema.items():
        numeric = dtype.is_numeric()
        table.add_column(name, justify="right" if numeric else "left", overflow="fold", no_wrap=numeric)
    for row in frame.iter_rows():
        # Text, not markup, with control characters escaped: a value or name can neither style nor drive the terminal.
        table.add_row(*(Text("—" if cell is None else printable(cell)) for cell in row))
    console = Console(width=width or terminal_width(), record=True, file=io.StringIO(), highlight=False)
    console.print(table)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines()) + "\n"


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        # Flushed now: what follows on stderr (notes, totals) must come after it, and a caller reading stdout sees it all.
        sys.stdout.flush()
    else:
        Path(out).write_text(text, encoding="utf-8")
