"""Options and helpers shared by the commands."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

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



class Language(str, Enum):
    """The languages of what edustat writes for readers: the report, the terminal's tables of names."""

    zh = "zh"
    en = "en"


LanguageOption = Annotated[Language, typer.Option("--lang", help="zh (default) or en.")]


def apply_overrides(warehouse: str | None = None, regions: Path | None = None) -> None:
    """Command-line options win over the environment: pass them on to the settings through it."""
    if warehouse:
        os.environ["EDUSTAT_WAREHOUSE_URL"] = warehouse
    if regions:
        os.environ["EDUSTAT_REGIONS_FILE"] = str(Path(regions).resolve())


def fail(message: str, code: int = 3) -> typer.Exit:
    """Print a message for the user (no traceback) and give the exit code to raise."""
    err_console.print(f"[red]{message}[/red]")
    return typer.Exit(code)


def connect_prefect() -> str:
    """Point this process at a Prefect API (the user's PREFECT_API_URL, else the background server), before Prefect is
    imported; a server that cannot be started ends the command with its sentence."""
    from edustat.local_server import ServerError, use_local_server

    try:
        return use_local_server()
    except ServerError as error:
        raise fail(f"Prefect: {error}") from None
