"""Tasks of a correction: plan it, read what it touches from the warehouse, check it, and aggregate it."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from prefect import get_run_logger

from edustat.configuration import Configuration
from edustat.correction import (
    CheckedCorrection,
    CorrectionContext,
    CorrectionPlan,
    changed_paths,
    check_correction,
    plan_correction,
    touched_by,
    touched_schools,
)
from edustat.fingerprint import InputFiles
from edustat.indicators import IndicatorResult, compute_correction
from edustat.ingest.discover import InputFolder
from edustat.ingest.files import FileResult
from schemas.words import plural
from tasks import uncached_task
from warehouse import correction as stored
from warehouse import read
from warehouse.replacement import Replacement
from warehouse.resource import Warehouse


@uncached_task(name="plan_run")
def plan_run(warehouse: Warehouse, year: int, inputs: InputFiles, configuration: Configuration) -> CorrectionPlan:
    """Whether this run can correct the year from its changed files alone, or must run the whole year (and why)."""
    plan = plan_correction(inputs.files, stored.stored_inputs(warehouse.engine, year), configuration.digest())
    if plan.is_correction:
        get_run_logger().info("correction of run %s: %d changed file(s): %s", plan.base_run_id, len(plan.changed_files), ", ".join(plan.changed_files[:10]))
    else:
        get_run_logger().info("whole year: %s", plan.whole_year_reason)
    return plan


@uncached_task(name="select_changed_files")
def select_changed_files(folder: InputFolder, plan: CorrectionPlan) -> list[Path]:
    """The input files a correction reads again: those of the folder's walk changed or added since the run it corrects."""
    return changed_paths(plan, list(folder.files), folder.root)


@uncached_task(name="read_correction_context")
def read_correction_context(warehouse: Warehouse, year: int, plan: CorrectionPlan, parsed: list[FileResult]) -> CorrectionContext:
    """The touched counties, the stored rows of unchanged files for them, and the corrected run's warnings."""
    engine = warehouse.engine
    replaced = stored.replaced_rows(engine, year, plan.changed_files)
    counties, unchanged, present = stored.touched_context(engine, year, plan.changed_files, touched_by(parsed, replaced))
    get_run_logger().info("the correction touches %s: %s", plural(len(counties), "county"), ", ".join(counties[:10]))
    return CorrectionContext(counties=counties, unchanged=unchanged, present=present, stored_warnings=stored.stored_warnings(engine, plan.base_run_id))


@uncached_task(name="read_touched_previous_year")
def read_touched_previous_year(warehouse: Warehouse, year: int, parsed: list[FileResult], context: CorrectionContext) -> dict[str, pl.DataFrame]:
    """The previous year's rows of the schools a correction touches, for the year-on-year warnings and outliers."""
    return read.previous_year(warehouse.engine, year, touched_schools(parsed, context))


@uncached_task(name="validate_correction")
def validate_correction(
    parsed: list[FileResult],
    context: CorrectionContext,
    plan: CorrectionPlan,
    configuration: Configuration,
    previous: dict[str, pl.DataFrame],
    allow_incomplete: bool = False,
) -> CheckedCorrection:
    """The changed files checked with the stored rows they touch; says whether that can stand for checking the whole year."""
    checked = check_correction(
        parsed, context, plan.changed_files, configuration.regions, configuration.rules, previous.get("enrollment"), allow_incomplete,
        configuration.checks, previous,
    )
    if not checked.is_conclusive:
        get_run_logger().info("the correction's problems reach beyond its files: checking the whole year")
    return checked


@uncached_task(name="is_conclusive")
def is_conclusive(checked: CheckedCorrection) -> bool:
    """Whether the correction's checks stand for the whole year's."""
    return checked.is_conclusive


@uncached_task(name="read_county_values")
def read_county_values(warehouse: Warehouse, year: int) -> pl.DataFrame:
    """The year's current county-level values, which stand for the counties a correction does not touch."""
    return stored.county_values(warehouse.engine, year)


@uncached_task(name="aggregate_correction")
def aggregate_correction(
    checked: CheckedCorrection,
    context: CorrectionContext,
    configuration: Configuration,
    stored_county_values: pl.DataFrame,
    previous_values: pl.DataFrame | None,
) -> IndicatorResult:
    """Every indicator of the year from the touched counties' rows and the stored values of the others (one row per region per indicator)."""
    return compute_correction(
        checked.staged,
        context.counties,
        stored_county_values,
        configuration.regions,
        configuration.rules,
        configuration.catalogue,
        previous_values=previous_values,
    )


@uncached_task(name="correction_replacement")
def correction_replacement(plan: CorrectionPlan, context: CorrectionContext) -> Replacement:
    """Which stored rows the correction's load replaces: its files' rows, on top of the run it corrects (and the counties it recomputed)."""
    return Replacement(changed_files=plan.changed_files, counties=context.counties, base_run_id=plan.base_run_id, removed_files=plan.removed_files)
