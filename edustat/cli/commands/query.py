"""`edustat query`: one read-only SQL statement against the warehouse, as a table, CSV, JSON or XLSX."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from edustat.cli.app import app
from edustat.cli.common import WarehouseOption, apply_overrides, err_console, fail
from edustat.cli.output import OutputFormat, write_frame
from edustat.query import DEFAULT_ROW_LIMIT, QueryError, QueryLimits, RefusedQuery, run_query
from edustat.settings import load_settings

RETIRED_ROLE_ENV = "EDUSTAT_QUERY_ROLE"
"""The retired SET ROLE guard: refused when set, so that nobody believes it still protects them."""


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="One SELECT, WITH, VALUES or EXPLAIN statement, in quotes.")],
    output_format: Annotated[OutputFormat, typer.Option("--format", help="table, csv, json or xlsx.")] = OutputFormat.table,
    out: Annotated[Path | None, typer.Option("--out", help="File to write (default: the terminal; xlsx needs it).")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Show at most this many rows; a note says when more exist.", min=1)] = DEFAULT_ROW_LIMIT,
    timeout: Annotated[
        float | None, typer.Option("--timeout", help="Stop the query after S seconds (default: EDUSTAT_QUERY_TIMEOUT_S or 300).", min=0.001)
    ] = None,
    allow_superuser: Annotated[
        bool, typer.Option("--allow-superuser", help="Run even when the PostgreSQL login is a superuser or can write to the warehouse.")
    ] = False,
    warehouse: WarehouseOption = None,
) -> None:
    """A read-only query against the warehouse, checked by a parsing guard (allowed tables, views and functions only).

    Views for analysts: indicator_current, indicator_wide, run_history; `edustat trace` lists the schools behind a value.
    Connects to --warehouse, else EDUSTAT_QUERY_URL (on PostgreSQL a login in role edustat_reader), else EDUSTAT_WAREHOUSE_URL.
    """
    if os.environ.get(RETIRED_ROLE_ENV):
        raise fail(
            f"{RETIRED_ROLE_ENV} is no longer used: set EDUSTAT_QUERY_URL to a login in role edustat_reader (see the README) and unset it "
            f"/ {RETIRED_ROLE_ENV} 已停用，请改用 EDUSTAT_QUERY_URL",
            2,
        )
    settings = load_settings()
    url = warehouse or settings.query_url or settings.warehouse_url
    apply_overrides(warehouse)
    if output_format is OutputFormat.xlsx and out is None:
        raise typer.BadParameter("--format xlsx needs --out FILE.xlsx", param_hint="--out")
    limits = QueryLimits(rows=limit, timeout_s=timeout or settings.query_timeout_s, is_superuser_allowed=allow_superuser)
    try:
        result = run_query(url, sql, limits)
    except (RefusedQuery, QueryError) as error:
        raise fail(str(error), 1) from None
    write_frame(result.frame, output_format, out)
    if result.is_truncated:
        # stderr: a CSV or JSON on stdout stays clean.
        err_console.print(
            f"[yellow]note: only the first {result.limit:,} rows are shown; the result has more. "
            f"Use --limit N to see more / 仅显示前 {result.limit} 行，结果还有更多行[/yellow]"
        )
    elif out is not None:
        err_console.print(f"{result.frame.height} rows written to {out}")
