"""The yearly flow: ingest, validate, aggregate and load one statistical year, whole or as a correction of its changed files."""

from __future__ import annotations

from prefect import flow

from edustat.configuration import Configuration
from edustat.correction import CorrectionPlan
from edustat.fingerprint import InputFiles
from edustat.ingest.discover import InputFolder
from edustat.outcome import RunOutcome, Trigger
from edustat.settings import Settings
from flows.parse import parse_inputs
from flows.slot_watch import year_slot
from runtime.interrupt import interruption
from tasks.aggregate import aggregate_indicators, recompute_next_year_growth
from tasks.completeness import assess_correction_completeness
from tasks.configure import configure, read_settings
from tasks.correction import (
    aggregate_correction,
    correction_replacement,
    is_conclusive,
    plan_run,
    read_correction_context,
    read_county_values,
    read_touched_previous_year,
    select_changed_files,
    validate_correction,
)
from tasks.ingest import discover_inputs, fingerprint_inputs, validate_year
from tasks.report import has_blocking_errors, publish_issues, write_error_workbook
from tasks.warehouse import (
    close_unchanged,
    fail_run,
    finish_load,
    is_unchanged,
    load_year,
    open_run,
    prepare_warehouse,
    read_next_year_values,
    read_previous_year,
    read_previous_year_values,
    reject_year,
    stop_run,
    year_load,
)
from warehouse.resource import Warehouse


@flow(name="edustat-yearly", flow_run_name="{year}-{trigger}", log_prints=False)
def yearly_flow(
    year: int, input_dir: str, reason: str | None = None, trigger: Trigger = "manual", allow_incomplete: bool = False
) -> RunOutcome:
    """One statistical year, end to end: one new version of every value of the year, or a rejection.

    A missing county, table or school row blocks the load unless ``allow_incomplete``, which loads
    the year with them stored as warnings (reporting_status says what is missing either way).

    When the year is loaded and only some files changed since, the run reads just those and the
    stored rows they touch (a correction); its result is the one a whole-year run would give.
    """
    settings = read_settings()
    # The run's one warehouse: every task that reads or writes it is handed this, not the settings.
    warehouse = Warehouse(settings.warehouse_url, settings.lock_timeout_s)
    run_id: int | None = None
    try:
        configuration = configure(settings)
        prepare_warehouse(warehouse, configuration)
        folder = discover_inputs(input_dir, settings.parse_processes, settings.task_runner)
        inputs = fingerprint_inputs(folder)
        run_id = open_run(warehouse, year, trigger, reason, inputs.fingerprint)
        try:
            if is_unchanged(warehouse, year, inputs, configuration):
                return close_unchanged(warehouse, run_id, year)
            plan = plan_run(warehouse, year, inputs, configuration)
            if plan.is_correction:
                outcome = correct_year(settings, warehouse, configuration, run_id, year, input_dir, folder, inputs, plan, allow_incomplete)
                if outcome is not None:
                    return outcome
            return load_whole_year(settings, warehouse, configuration, run_id, year, input_dir, folder, inputs, allow_incomplete)
        except Exception as error:
            # The previous version stays current; the run's row says why it failed.
            return fail_run(warehouse, run_id, year, error)
    except BaseException as error:
        # Ctrl-C or SIGTERM: the load rolled back and the slot was given back as they unwound; the run's row says why it ended.
        stop = interruption(error)
        if stop is None:
            raise
        raise stop_run(warehouse, run_id, year, stop) from None


def load_whole_year(
    settings: Settings,
    warehouse: Warehouse,
    configuration: Configuration,
    run_id: int,
    year: int,
    input_dir: str,
    folder: InputFolder,
    inputs: InputFiles,
    allow_incomplete: bool,
) -> RunOutcome:
    """Every file read and checked, every indicator computed, every row of the year replaced (tasks wired in the flow's run)."""
    previous = read_previous_year(warehouse, year)
    # The load is open while the files are parsed: writing the school rows overlaps parsing them.
    with year_slot(warehouse, year, run_id), year_load(warehouse, run_id, year) as load:
        parsed = parse_inputs(
            folder, configuration.rules, inputs, on_batch=load.stage,
            configured_processes=settings.parse_processes, task_runner=settings.task_runner,
        )
        combined = validate_year(parsed, configuration, previous, allow_incomplete)
        staged, issues, reporting = combined.staged, combined.issues, combined.completeness.status
        publish_issues(year, issues)
        if not has_blocking_errors(issues):
            result = aggregate_indicators(staged, configuration, read_previous_year_values(warehouse, year))
            # Read year + 1 inside the slot, which covers it too: its growth must follow its latest values.
            next_year_growth = recompute_next_year_growth(read_next_year_values(warehouse, year), result, configuration)
            return finish_load(warehouse, load, result, issues, next_year_growth, inputs, configuration, reporting)
    # Rejected: the staged rows were rolled back when the load closed unfinished.
    error_workbook = write_error_workbook(settings.error_workbook_dir, year, input_dir, issues, configuration)
    return reject_year(warehouse, run_id, year, issues, error_workbook, reporting, configuration)


def correct_year(
    settings: Settings,
    warehouse: Warehouse,
    configuration: Configuration,
    run_id: int,
    year: int,
    input_dir: str,
    folder: InputFolder,
    inputs: InputFiles,
    plan: CorrectionPlan,
    allow_incomplete: bool,
) -> RunOutcome | None:
    """Only the changed files read, checked with the stored rows they touch, and loaded over them; None when the whole year must be checked."""
    parsed = parse_inputs(
        folder, configuration.rules, inputs, only=select_changed_files(folder, plan),
        configured_processes=settings.parse_processes, task_runner=settings.task_runner,
    )
    context = read_correction_context(warehouse, year, plan, parsed)
    previous = read_touched_previous_year(warehouse, year, parsed, context)
    checked = validate_correction(parsed, context, plan, configuration, previous, allow_incomplete)
    if not is_conclusive(checked):
        return None
    reporting = assess_correction_completeness(warehouse, year, checked, context, configuration)
    publish_issues(year, checked.issues)
    if has_blocking_errors(checked.issues):
        error_workbook = write_error_workbook(settings.error_workbook_dir, year, input_dir, checked.issues, configuration)
        return reject_year(warehouse, run_id, year, checked.issues, error_workbook, reporting, configuration)
    result = aggregate_correction(checked, context, configuration, read_county_values(warehouse, year), read_previous_year_values(warehouse, year))
    replacement = correction_replacement(plan, context)
    with year_slot(warehouse, year, run_id):
        next_year_growth = recompute_next_year_growth(read_next_year_values(warehouse, year), result, configuration)
        return load_year(
            warehouse, run_id, year, result, checked.staged, checked.issues, next_year_growth, inputs, configuration, reporting, replacement
        )
