"""`edustat trace`: the schools behind one stored value, recomputed from the stored school rows, and whether they add up."""

from __future__ import annotations

from typing import Annotated

import polars as pl
import typer

from edustat.cli.app import app
from edustat.cli.options import (
    EncodingOption,
    ExportLanguageOption,
    IndicatorsOption,
    RegionsOption,
    WarehouseOption,
    YearOption,
    apply_overrides,
    checked_configuration,
    err_console,
    fail,
)
from edustat.cli.output import FormatOption, OutFileOption, OutputFormat, require_out_for_xlsx, write_frame
from edustat.configuration import Configuration
from edustat.indicators.trace import NotTraceable, totals, with_names
from edustat.indicators.trace import trace as trace_rows
from edustat.settings import load_settings
from edustat.words import unknown_code_message

TABLE_ROWS = 1_000
"""Rows the terminal table shows at most; the other formats write every row."""


@app.command()
def trace(
    year: YearOption,
    indicator: Annotated[str, typer.Option("--indicator", help="Indicator code (`edustat indicators --catalogue` lists them).")],
    region: Annotated[str | None, typer.Option("--region", help="County, prefecture or province code (default: the top of the region file).")] = None,
    output_format: FormatOption = OutputFormat.table,
    out: OutFileOption = None,
    lang: ExportLanguageOption = None,
    encoding: EncodingOption = None,
    warehouse: WarehouseOption = None,
    regions: RegionsOption = None,
    catalogue_file: IndicatorsOption = None,
) -> None:
    """Each school's numerator and denominator behind a region's stored value, and a check that they add up to it.

    The rows are recomputed by the indicator engine from the school rows the warehouse stores for
    the year, so they are what the value was made of. Balance CVs list each school's students and
    measure; growth values compare two stored values (see `edustat history`).
    """
    from warehouse.engine import get_engine
    from warehouse.read import county_tables, current_values

    apply_overrides(warehouse, regions, catalogue_file)
    require_out_for_xlsx(output_format, out)
    settings = load_settings()
    configuration = checked_configuration(settings)
    if indicator not in configuration.catalogue.by_code():
        raise fail(unknown_code_message(indicator, configuration.catalogue.by_code()), 2)
    region_code = region or _top_region(configuration)
    counties = _counties_of(configuration, region_code)
    if not counties:
        raise fail(f"region {region_code} is not in the region file / 区划代码不在区划配置中", 2)
    engine = get_engine(settings.warehouse_url)
    year_values = current_values(engine, year)
    if year_values.is_empty():
        raise fail(f"no values for {year} in the warehouse; run `edustat run --year {year} --input DIR` first / 仓库中没有该年数据", 1)
    stored = year_values.filter((pl.col("region_code") == region_code) & (pl.col("indicator_code") == indicator))
    if stored.is_empty():
        raise fail(f"{year} has no value of {indicator} for region {region_code} (balance indicators exist at county level only) / 该区划没有此指标的值", 1)
    staged = county_tables(engine, year, counties)
    try:
        traced = trace_rows(staged, configuration.rules, configuration.catalogue, indicator)
    except NotTraceable as error:
        raise fail(str(error), 1) from None
    names = {r.code: r.name_zh for r in configuration.regions.regions}
    rows = with_names(traced.rows, staged, names)
    if output_format is OutputFormat.table and rows.height > TABLE_ROWS:
        # A province's thousands of schools are for a file, not a terminal.
        err_console.print(f"[yellow]note: the first {TABLE_ROWS:,} of {rows.height:,} rows are shown; --format csv --out FILE writes them all / 仅显示前 {TABLE_ROWS} 行[/yellow]")
        rows = rows.head(TABLE_ROWS)
    write_frame(rows, output_format, out, lang=lang.value if lang else None, encoding=encoding, sheet=f"{indicator} {region_code}")
    _print_check(totals(traced), traced.rows.height, stored.row(0, named=True))


def _top_region(configuration: Configuration) -> str:
    return next(r.code for r in configuration.regions.regions if r.parent_code is None)


def _counties_of(configuration: Configuration, region_code: str) -> list[str]:
    return sorted({county for county, ancestor, _ in configuration.regions.ancestry() if ancestor == region_code})


def _print_check(traced_totals: dict[str, float | None], rows: int, stored: dict) -> None:
    """What the rows add up to against the stored value (stderr: a CSV on stdout stays clean)."""
    where = f"{stored['region_code']} {stored['indicator_code']}, run {stored['run_id']}"
    found = ", ".join(f"{name} {value:.6g}" if value is not None else f"{name} NULL" for name, value in traced_totals.items())
    kept = ", ".join(f"{name} {stored[name]}" for name in ("numerator", "denominator", "value"))
    line = f"{rows} rows: {found or 'nothing to add up'}; stored {kept} ({where})"
    if not traced_totals:
        err_console.print(line)
    elif all(stored[name] == value for name, value in traced_totals.items()):
        err_console.print(f"{line} — they add up / 合计与仓库值一致")
    else:
        err_console.print(f"[yellow]{line} — they differ: the configuration or the code changed since that run, or the warehouse was edited / 合计与仓库值不一致[/yellow]")
