"""`edustat indicators`: the current values of a year."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from edustat.cli.app import app
from edustat.cli.indicators_table import catalogue_display, catalogue_listing, display_frame, published_columns
from edustat.cli.options import EncodingOption, ExportLanguageOption, IndicatorsOption, Language, WarehouseOption, apply_overrides, checked_configuration, fail
from edustat.cli.output import FormatOption, OutputFormat, require_out_for_xlsx, write_frame
from edustat.settings import Settings, load_settings
from schemas.words import plural


@app.command()
def indicators(
    year: Annotated[int | None, typer.Option("--year", help="Statistical year, e.g. 2020 (not with --catalogue).", min=1900, max=2999)] = None,
    level: Annotated[
        list[str] | None, typer.Option("--level", help="county, prefecture, province or country; several allowed.")
    ] = None,
    output_format: FormatOption = OutputFormat.table,
    out: Annotated[Path | None, typer.Option("--out", help="File to write (default: the terminal; xlsx needs it). A CSV file is UTF-8 with a byte-order mark for Excel; --encoding utf-8 for plain.")] = None,
    lang: ExportLanguageOption = None,
    encoding: EncodingOption = None,
    catalogue: Annotated[
        bool, typer.Option("--catalogue", help="List every code of the catalogue instead: kind, unit, names and its definition in words.")
    ] = False,
    warehouse: WarehouseOption = None,
    catalogue_file: IndicatorsOption = None,
) -> None:
    """The current values of a year, with Chinese and English names, units, and the report's figures; or, with --catalogue, what each code means."""
    apply_overrides(warehouse, indicators=catalogue_file)
    names = (lang or Language.zh).value
    export_lang = lang.value if lang is not None else None
    require_out_for_xlsx(output_format, out)
    if catalogue:
        if year is not None or level:
            raise typer.BadParameter("--catalogue lists the codes, not a year's values: leave out --year and --level / --catalogue 列出指标代码，不与 --year、--level 同用", param_hint="--catalogue")
        configuration = checked_configuration(load_settings())
        listing = catalogue_listing(configuration.catalogue, configuration.rules)
        shown_listing = catalogue_display(listing, names) if output_format is OutputFormat.table else listing
        write_frame(shown_listing, output_format, out, lang=export_lang, encoding=encoding, sheet="指标目录" if names == "zh" else "indicator catalogue")
        return
    if year is None:
        raise typer.BadParameter("give --year Y, or --catalogue / 请给出 --year 年度，或 --catalogue", param_hint="--year")
    values = current_indicator_values(year, level, load_settings())
    if values.is_empty():
        raise fail(f"no values for {year} in the warehouse; run `edustat run --year {year} --input DIR` first / 仓库中没有 {year} 年的数据，请先运行 edustat run", 1)
    shown = display_frame(values, names) if output_format is OutputFormat.table else values
    write_frame(shown, output_format, out, lang=export_lang, encoding=encoding, sheet=f"指标 {year}" if names == "zh" else f"indicators {year}")
    incomplete = values.filter(pl.col("is_complete").not_()).get_column("region_code").n_unique()
    if incomplete:
        typer.echo(
            f"{plural(incomplete, 'region')} incomplete: their values are not final (see column completeness, or the view reporting_status)"
            f" / {incomplete} 个地区数据不完整，其数值不是最终数", err=True,
        )
    partial = values.filter(pl.col("is_partial").fill_null(False)).get_column("region_name_zh").unique(maintain_order=True).to_list()
    if partial:
        typer.echo(
            f"partial regions: their values cover only the regions listed below them, never the whole region (column is_partial)"
            f" / 部分覆盖的地区，其数值仅含所列下级，不代表全地区: {'、'.join(partial)}", err=True,
        )


def current_indicator_values(year: int, levels: list[str] | None, settings: Settings) -> pl.DataFrame:
    """The year's current values at the levels asked, each marked with its region's completeness (is_complete, completeness), with the report's figures beside them."""
    from schemas.completeness.wording import region_completeness
    from warehouse.engine import get_engine
    from warehouse.read import current_values, year_reporting_status

    configuration = checked_configuration(settings)
    engine = get_engine(settings.warehouse_url)
    values = current_values(engine, year)
    if levels:
        values = values.filter(pl.col("region_level").is_in(levels))
    # A region without reporting_status rows (a year loaded before completeness was recorded) has is_complete NULL: unknown.
    values = values.join(region_completeness(year_reporting_status(engine, year)), on="region_code", how="left", maintain_order="left")
    return published_columns(values, configuration.catalogue, year)
