"""Options and helpers shared by the commands."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from edustat.configuration import Configuration
    from edustat.settings import Settings

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

WarehouseOption = Annotated[
    str | None,
    typer.Option("--warehouse", help="SQLAlchemy URL of the warehouse (default: EDUSTAT_WAREHOUSE_URL or sqlite:///edustat.db)."),
]
YearOption = Annotated[int, typer.Option("--year", help="Statistical year, e.g. 2020.", min=1900, max=2999)]
InputOption = Annotated[
    Path,
    typer.Option("--input", help="Folder holding the year's .xlsx/.xls/.csv files.", exists=True, file_okay=False, resolve_path=True),
]
RegionsOption = Annotated[
    Path | None,
    typer.Option("--regions", help="Region file (default: EDUSTAT_REGIONS_FILE or config/regions.toml).", exists=True, dir_okay=False),
]
IndicatorsOption = Annotated[
    Path | None,
    typer.Option(
        "--indicators",
        help="Indicator catalogue (default: EDUSTAT_INDICATORS_FILE or config/indicators.toml).",
        exists=True,
        dir_okay=False,
    ),
]

ChecksOption = Annotated[
    Path | None,
    typer.Option(
        "--checks",
        help="Relationship checks file (default: EDUSTAT_CHECKS_FILE or config/checks.toml).",
        exists=True,
        dir_okay=False,
    ),
]


class Language(str, Enum):
    """The languages of what edustat writes for readers: the report, the terminal's tables of names."""

    zh = "zh"
    en = "en"


LanguageOption = Annotated[Language, typer.Option("--lang", help="zh (default) or en.")]
ExportLanguageOption = Annotated[
    Language | None,
    typer.Option("--lang", help="zh or en: the table's names (default zh); with zh, CSV and XLSX get Chinese headers (codes keep their columns)."),
]


class CsvEncoding(str, Enum):
    """How a CSV is encoded: with a byte-order mark (Excel on Chinese Windows reads it as UTF-8), or plain for scripts."""

    utf8_sig = "utf-8-sig"
    utf8 = "utf-8"


ENCODING_HELP = (
    "CSV encoding: utf-8-sig (UTF-8 with a byte-order mark, so that Excel on Chinese Windows opens it; the default for --out) "
    "or utf-8 (plain UTF-8 for scripts; the default on the terminal)."
)
"""The --encoding help line, the same on every command that writes CSV."""

EncodingOption = Annotated[CsvEncoding | None, typer.Option("--encoding", help=ENCODING_HELP, show_default=False)]


def apply_overrides(warehouse: str | None = None, regions: Path | None = None, indicators: Path | None = None, checks: Path | None = None) -> None:
    """Command-line options win over the environment: pass them on to the settings through it."""
    if warehouse:
        os.environ["EDUSTAT_WAREHOUSE_URL"] = warehouse
    if regions:
        os.environ["EDUSTAT_REGIONS_FILE"] = str(Path(regions).resolve())
    if indicators:
        os.environ["EDUSTAT_INDICATORS_FILE"] = str(Path(indicators).resolve())
    if checks:
        os.environ["EDUSTAT_CHECKS_FILE"] = str(Path(checks).resolve())


def fail(message: str, code: int = 3) -> typer.Exit:
    """Print a message for the user (no traceback) and give the exit code to raise."""
    err_console.print(f"[red]{message}[/red]")
    return typer.Exit(code)


def checked_configuration(settings: Settings) -> Configuration:
    """The configuration ``settings`` (the command's, read once) name (region file, rules, catalogue, checks), or the command ends
    with exit 2, before any input is read or anything written: a broken file is wrong usage, and its message names the file, entry and key."""
    from rich.markup import escape

    from config import ConfigError
    from edustat.configuration import load_configuration

    try:
        return load_configuration(settings.regions_file, settings.indicators_file, settings.checks_file)
    except ConfigError as error:
        raise fail(escape(f"configuration refused / 配置有误:\n{error}"), 2) from None


def connect_prefect() -> str:
    """Point this process at a Prefect API (the user's PREFECT_API_URL, else the background server), before Prefect is
    imported; a server that cannot be started ends the command with its sentence."""
    from runtime.local_server import ServerError, use_local_server

    try:
        return use_local_server()
    except ServerError as error:
        raise fail(f"Prefect: {error}") from None
