"""`edustat query`: one read-only SQL statement against the warehouse, as a table, CSV, JSON or XLSX."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from edustat.cli.app import app
from edustat.cli.options import EncodingOption, ExportLanguageOption, WarehouseOption, apply_overrides, err_console, fail
from edustat.cli.output import FormatOption, OutFileOption, OutputFormat, require_out_for_xlsx, write_frame
from edustat.settings import load_settings
from schemas.words import plural
from warehouse.query import DEFAULT_ROW_LIMIT, QueryError, QueryLimits, RefusedQuery, run_query

RETIRED_ROLE_ENV = "EDUSTAT_QUERY_ROLE"
"""The retired SET ROLE guard: refused when set, so that nobody believes it still protects them."""


@app.command()
def query(
    sql: Annotated[str | None, typer.Argument(help="One SELECT, WITH, VALUES or EXPLAIN statement, in quotes.", show_default=False)] = None,
    tables: Annotated[
        bool, typer.Option("--tables", help="List the warehouse's tables and views with their columns and types instead of querying.")
    ] = False,
    output_format: FormatOption = OutputFormat.table,
    out: OutFileOption = None,
    limit: Annotated[int, typer.Option("--limit", help="Show at most this many rows; a note says when more exist.", min=1)] = DEFAULT_ROW_LIMIT,
    timeout: Annotated[
        float | None, typer.Option("--timeout", help="Stop the query after S seconds (default: EDUSTAT_QUERY_TIMEOUT_S or 300).", min=0.001)
    ] = None,
    allow_superuser: Annotated[
        bool, typer.Option("--allow-superuser", help="Run even when the PostgreSQL login is a superuser or can write to the warehouse.")
    ] = False,
    lang: ExportLanguageOption = None,
    encoding: EncodingOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """A read-only query against the warehouse, checked by a parsing guard (allowed tables, views and functions only).

    Views for analysts: indicator_current, indicator_wide, run_history; `edustat trace` lists the schools behind a value;
    `edustat query --tables` lists every table and view with its columns.
    Connects to --warehouse, else EDUSTAT_QUERY_URL (on PostgreSQL a login in role edustat_reader), else EDUSTAT_WAREHOUSE_URL.
    """
    if os.environ.get(RETIRED_ROLE_ENV):
        raise fail(
            f"{RETIRED_ROLE_ENV} is no longer used: set EDUSTAT_QUERY_URL to a login in role edustat_reader (see docs/how-to/analysts-queries.md) and unset it "
            f"/ {RETIRED_ROLE_ENV} 已停用，请改用 EDUSTAT_QUERY_URL",
            2,
        )
    settings = load_settings()
    url = warehouse or settings.query_url or settings.warehouse_url
    apply_overrides(warehouse)
    require_out_for_xlsx(output_format, out)
    export_lang = lang.value if lang is not None else None
    if tables:
        if sql is not None:
            raise typer.BadParameter("--tables lists the tables; give no SQL with it / --tables 不与 SQL 同用", param_hint="--tables")
        write_frame(relation_columns(url), output_format, out, lang=export_lang, encoding=encoding, sheet="表和视图" if export_lang == "zh" else "tables and views")
        return
    if sql is None:
        raise typer.BadParameter("give one SQL statement in quotes, or --tables / 请给出一条 SQL 语句（加引号），或 --tables", param_hint="SQL")
    limits = QueryLimits(rows=limit, timeout_s=timeout or settings.query_timeout_s, is_superuser_allowed=allow_superuser)
    try:
        result = run_query(url, sql, limits)
    except (RefusedQuery, QueryError) as error:
        raise fail(str(error), 1) from None
    write_frame(result.frame, output_format, out, lang=export_lang, encoding=encoding, sheet="查询结果" if export_lang == "zh" else "query")
    if result.is_truncated:
        # stderr: a CSV or JSON on stdout stays clean.
        err_console.print(
            f"[yellow]note: only the first {result.limit:,} rows are shown; the result has more. "
            f"Use --limit N to see more / 仅显示前 {result.limit} 行，结果还有更多行[/yellow]"
        )
    elif out is not None:
        err_console.print(f"{plural(result.frame.height, 'row')} written to {out} / 已写入 {result.frame.height} 行")


def relation_columns(url: str) -> "pl.DataFrame":
    """Every table and view `edustat query` may read, with its columns: one row per relation per column, in the database's column order."""
    import polars as pl
    from sqlalchemy import create_engine, inspect

    from warehouse.schema import QUERYABLE_RELATIONS

    engine = create_engine(url)
    try:
        inspector = inspect(engine)
        kinds = {name: "table" for name in inspector.get_table_names()} | {name: "view" for name in inspector.get_view_names()}
        rows = [
            {"relation": name, "relation_kind": kinds[name], "column_name": column["name"], "data_type": _type_name(column["type"])}
            for name in sorted(kinds, key=lambda n: (kinds[n] != "view", n))
            if name in QUERYABLE_RELATIONS
            for column in inspector.get_columns(name)
        ]
    finally:
        engine.dispose()
    if not rows:
        raise fail("the warehouse holds no edustat tables yet; run `edustat run --year Y --input DIR` first / 仓库中还没有 edustat 的表，请先运行 edustat run", 1)
    return pl.DataFrame(rows, schema=dict.fromkeys(("relation", "relation_kind", "column_name", "data_type"), pl.String))


def _type_name(column_type: object) -> str | None:
    # SQLite gives a view's computed column (COALESCE …) no declared type: say nothing rather than "NULL".
    from sqlalchemy.types import NullType

    return None if isinstance(column_type, NullType) else str(column_type)
