"""`edustat validate`: check a year's spreadsheets and write the clerk's error workbook; no warehouse write."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import polars as pl
import typer

from edustat.cli.app import app
from edustat.cli.output import render_table
from edustat.cli.common import (
    ChecksOption,
    IndicatorsOption,
    RegionsOption,
    WarehouseOption,
    apply_overrides,
    checked_configuration,
    console,
    fail,
)
from edustat.cli.problems import print_problems
from edustat.settings import load_settings

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
    checks_file: ChecksOption = None,
    list_checks: Annotated[bool, typer.Option("--list-checks", help="Print the relationship checks with their conditions in words, and stop.")] = False,
    outliers_only: Annotated[bool, typer.Option("--outliers-only", help="List only the outliers (values far from the school's past or its peers).")] = False,
) -> None:
    """Validate a year's spreadsheets and write the error workbook (exit 0 no errors, 1 errors)."""
    # Imported here: pandera pulls in pandas, seconds that every other command need not pay.
    from edustat.errorbook import write_error_workbook
    from edustat.validation import validate_inputs
    from schemas.bound import problem_totals
    from schemas.completeness import completeness_line

    apply_overrides(warehouse, regions, catalogue_file, checks_file)
    settings = load_settings()
    configuration = checked_configuration()
    if list_checks:
        print_checks(configuration)
        raise typer.Exit(0)
    if year is None or input is None:
        raise fail("--year and --input are required (unless --list-checks) / 需要 --year 和 --input", 2)
    checked = validate_inputs(input, configuration, settings.warehouse_url, year)
    issues = checked.issues
    print_checklist(checked.checklist, completeness_line(checked.status, configuration.regions))
    errors, warnings = problem_totals(issues)
    if issues.is_empty():
        console.print(f"[green]{year}: no problems found / 未发现问题[/green]")
        raise typer.Exit(0)
    workbook = write_error_workbook(
        issues, input, out or settings.error_workbook_dir / f"errors_{year}.xlsx", max_copied_cells=configuration.rules.limits.max_copied_cells
    )
    colour = "red" if errors else "yellow"
    console.print(f"[{colour}]{year}: {errors} errors, {warnings} warnings / {errors} 个错误, {warnings} 个警告[/{colour}]")
    if outliers_only:
        # The workbook keeps every problem (the clerk's round trip); the terminal lists the outliers alone.
        outliers = only_outliers(issues)
        console.print(f"{outliers.height} outliers / 个异常值", markup=False)
        if outliers.height:
            print_problems(outliers, str(workbook), by_file=False)
    else:
        print_problems(issues, str(workbook), by_file=bool(errors))
    raise typer.Exit(1 if errors else 0)


def print_checklist(checklist: pl.DataFrame, line: str) -> None:
    """Which county sent which table (rows, or ✗), how many schools, and what is missing: the checklist before the deadline."""
    console.print(f"Completeness / 完整性: {line}", markup=False)
    console.print(render_table(checklist.drop("county_code").insert_column(0, checklist.get_column("county_code").alias("code"))), markup=False, end="")


def print_checks(configuration: Configuration) -> None:
    """Every relationship check: code, severity, the rows it judges and its condition in words, in Chinese and English."""
    from config.check_words import condition_words, filter_words

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
