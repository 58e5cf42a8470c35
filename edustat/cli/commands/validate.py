"""`edustat validate`: check a year's spreadsheets and write the clerk's error workbook; no warehouse write."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import polars as pl
import typer

from config import RegionTree
from edustat.cli.app import app
from edustat.cli.options import ChecksOption, IndicatorsOption, RegionsOption, WarehouseOption, apply_overrides, checked_configuration, console, fail
from edustat.cli.output import render_table
from edustat.cli.problems import print_problems
from edustat.settings import load_settings
from edustat.summary import printable
from schemas.words import plural

if TYPE_CHECKING:
    from edustat.configuration import Configuration


@app.command()
def validate(
    year: Annotated[int | None, typer.Option("--year", help="Statistical year, e.g. 2020.", min=1900, max=2999)] = None,
    input: Annotated[
        Path | None,
        typer.Option("--input", help="Folder holding the year's .xlsx/.xls/.csv files.", exists=True, file_okay=False, resolve_path=True),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Error workbook to write (default errors/errors_YEAR.xlsx).", dir_okay=False)] = None,
    warehouse: WarehouseOption = None,
    regions: RegionsOption = None,
    catalogue_file: IndicatorsOption = None,
    county: Annotated[
        list[str] | None,
        typer.Option(
            "--county",
            help="Check only this county's schools (a county code of the region file; repeat for more), completeness included:"
            " a clerk's own workbook before sending it. 只检查该县。",
        ),
    ] = None,
    checks_file: ChecksOption = None,
    list_checks: Annotated[bool, typer.Option("--list-checks", help="Print the relationship checks with their conditions in words, and stop.")] = False,
    outliers_only: Annotated[bool, typer.Option("--outliers-only", help="List only the outliers (values far from the school's past or its peers).")] = False,
) -> None:
    """Validate a year's spreadsheets and write the error workbook and marked copies (exit 0 without errors, 1 with errors)."""
    # Imported here: pandera pulls in pandas, seconds that every other command need not pay.
    from edustat.errorbook import clear_error_workbook, write_error_workbook
    from edustat.validation import validate_inputs
    from schemas.bound import problem_totals
    from schemas.completeness.wording import completeness_line
    from warehouse.read import previous_year_if_loaded

    apply_overrides(warehouse, regions, catalogue_file, checks_file)
    settings = load_settings()
    configuration = checked_configuration(settings)
    if list_checks:
        print_checks(configuration)
        raise typer.Exit(0)
    if year is None or input is None:
        raise fail("--year and --input are required (unless --list-checks) / 需要 --year 和 --input", 2)
    if out is not None and out.suffix.lower() != ".xlsx":
        # The marked copies go in the folder named like the workbook without .xlsx: without the suffix both are one path.
        raise fail(f"--out {printable(str(out))}: 须为 .xlsx 文件 / must name an .xlsx file (e.g. errors_{year}.xlsx)", 2)
    counties = chosen_counties(county, configuration.regions)
    checked = validate_inputs(input, configuration, previous_year_if_loaded(settings.warehouse_url, year), counties)
    issues = checked.issues
    print_checklist(checked.checklist, completeness_line(checked.status, configuration.regions))
    errors, warnings = problem_totals(issues)
    out = out or settings.error_workbook_dir / f"errors_{year}.xlsx"
    if issues.is_empty():
        console.print(f"[green]{year}: no problems found / 未发现问题[/green]")
        if clear_error_workbook(out):
            console.print(f"Earlier problem list and marked copies removed / 已删除上次的问题清单和标注副本: {printable(str(out.with_suffix('')))}", markup=False)
        raise typer.Exit(0)
    workbook = write_error_workbook(issues, input, out, max_copied_cells=configuration.rules.limits.max_copied_cells)
    colour = "red" if errors else "yellow"
    console.print(f"[{colour}]{year}: {plural(errors, 'error')}, {plural(warnings, 'warning')} / {errors} 个错误, {warnings} 个警告[/{colour}]")
    if outliers_only:
        # The workbook keeps every problem (the clerk's round trip); the terminal lists the outliers alone.
        outliers = only_outliers(issues)
        console.print(f"{plural(outliers.height, 'outlier')} / {outliers.height} 个异常值", markup=False)
        if outliers.height:
            print_problems(outliers, str(workbook), by_file=False)
    else:
        print_problems(issues, str(workbook), by_file=bool(errors))
    copies = workbook.with_suffix("")
    if copies.is_dir() and any(copies.rglob("*.xlsx")):
        console.print(
            f"Marked copies / 标注副本: {printable(str(copies))}{os.sep} — 改正红色单元格后用副本代替原文件报送"
            " / correct the red cells and send each copy back in place of its original",
            markup=False,
        )
    raise typer.Exit(1 if errors else 0)


def chosen_counties(codes: list[str] | None, regions: RegionTree) -> list[str] | None:
    """The counties ``--county`` names (None: every county), or exit 2 naming a code that is no county of the region file."""
    if not codes:
        return None
    by_code = regions.by_code()
    wrong = [code for code in codes if code not in regions.county_codes()]
    if wrong:
        raise fail(
            f"--county {', '.join(wrong)}: 不是地区配置中的县 / not a county of the region file"
            f" (counties / 县: {', '.join(sorted(regions.county_codes()))})",
            2,
        )
    chosen = sorted(set(codes))
    console.print("Counties checked / 只检查: " + "、".join(f"{code} {by_code[code].name_zh}" for code in chosen), markup=False)
    return chosen


def print_checklist(checklist: pl.DataFrame, line: str) -> None:
    """Which county sent which table (rows, or ✗), how many schools, and what is missing: the checklist before the deadline."""
    console.print(f"Completeness / 完整性: {line}", markup=False)
    console.print(render_table(checklist.drop("county_code").insert_column(0, checklist.get_column("county_code").alias("code"))), markup=False, end="")


def print_checks(configuration: Configuration) -> None:
    """Every relationship check: code, severity, the rows it judges and its condition in words, in Chinese and English."""
    from schemas.catalogue.check_words import condition_words, filter_words

    rules = configuration.rules
    rows = [
        {
            "code": check.code,
            "severity": check.severity,
            "rows / 数据行": f"{filter_words(check, rules, 'en')} / {filter_words(check, rules, 'zh')}",
            "must hold / 应满足": f"{condition_words(check, 'en')}\n{condition_words(check, 'zh')}",
        }
        for check in configuration.checks.checks
    ]
    console.print(f"{len(rows)} checks / 项检查", markup=False)
    console.print(render_table(pl.DataFrame(rows)), markup=False, end="")


def only_outliers(issues: pl.DataFrame) -> pl.DataFrame:
    """The outlier warnings among ``issues`` (contract §3 "Outliers")."""
    from schemas.outliers import OUTLIER_RULES

    return issues.filter(pl.col("rule").is_in(list(OUTLIER_RULES)))
