"""The yearly flow: ingest, validate, aggregate and load one statistical year."""

from __future__ import annotations

from prefect import flow

from edustat.outcome import RunOutcome, Trigger
from tasks.aggregate import aggregate_indicators, recompute_next_year_growth
from tasks.concurrency import year_slot
from tasks.configure import configure, read_settings
from tasks.ingest import discover_inputs, fingerprint_inputs, parse_inputs, validate_year
from tasks.report import has_blocking_errors, publish_issues, write_error_workbook
from tasks.warehouse import (
    close_unchanged,
    fail_run,
    is_unchanged,
    load_year,
    open_run,
    prepare_warehouse,
    read_next_year_values,
    read_previous_enrollment,
    read_previous_year_values,
    reject_year,
)


@flow(name="edustat-yearly", flow_run_name="{year}-{trigger}", log_prints=False)
def yearly_flow(year: int, input_dir: str, reason: str | None = None, trigger: Trigger = "manual") -> RunOutcome:
    """One statistical year, end to end: one new version of every value of the year, or a rejection."""
    settings = read_settings()
    configuration = configure(settings)
    prepare_warehouse(settings, configuration)
    files = discover_inputs(input_dir)
    fingerprint = fingerprint_inputs(input_dir, files)
    run_id = open_run(settings, year, trigger, reason, fingerprint)
    try:
        if is_unchanged(settings, year, fingerprint):
            return close_unchanged(settings, run_id, year)
        previous_enrollment = read_previous_enrollment(settings, year)
        parsed = parse_inputs(files, input_dir, configuration.rules)
        staged, issues = validate_year(parsed, configuration, previous_enrollment)
        publish_issues(year, issues)
        if has_blocking_errors(issues):
            error_workbook = write_error_workbook(settings, year, input_dir, issues)
            return reject_year(settings, run_id, year, issues, error_workbook)
        result = aggregate_indicators(staged, configuration, read_previous_year_values(settings, year))
        with year_slot(settings, year, run_id):
            # Read year + 1 inside the slot, which covers it too: its growth must follow its latest values.
            next_year_growth = recompute_next_year_growth(read_next_year_values(settings, year), result, configuration)
            return load_year(settings, run_id, year, result, staged, issues, next_year_growth)
    except Exception as error:
        # The previous version stays current; the run's row says why it failed.
        return fail_run(settings, run_id, year, str(error))
