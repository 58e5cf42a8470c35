"""`edustat query`: one read-only SQL statement against the warehouse, as a table, CSV, JSON or XLSX."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from edustat.cli.app import app
from edustat.cli.common import WarehouseOption, apply_overrides, err_console, fail
from edustat.cli.output import OutputFormat, write_frame
from edustat.query import DEFAULT_ROW_LIMIT, QUERY_ROLE_ENV, QueryError, RefusedQuery, run_query
from edustat.settings import load_settings


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="One SELECT, WITH, VALUES or EXPLAIN statement, in quotes.")],
    output_format: Annotated[OutputFormat, typer.Option("--format", help="table, csv, json or xlsx.")] = OutputFormat.table,
    out: Annotated[Path | None, typer.Option("--out", help="File to write (default: the terminal; xlsx needs it).")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Show at most this many rows; a note says when more exist.", min=1)] = DEFAULT_ROW_LIMIT,
    warehouse: WarehouseOption = None,
) -> None:
    """A read-only query against the warehouse: the file opened read-only (SQLite) or a READ ONLY transaction (PostgreSQL).

    Views for analysts: indicator_current, indicator_wide, run_history; `edustat trace` lists the schools behind a value.
    On PostgreSQL, EDUSTAT_QUERY_ROLE names a role without write rights to run as (SET ROLE).
    """
    apply_overrides(warehouse)
    if output_format is OutputFormat.xlsx and out is None:
        raise typer.BadParameter("--format xlsx needs --out FILE.xlsx", param_hint="--out")
    try:
        result = run_query(load_settings().warehouse_url, sql, limit, os.environ.get(QUERY_ROLE_ENV) or None)
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
