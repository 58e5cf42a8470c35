"""Tasks that read and write the warehouse. The URL comes from settings, never from a parameter."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import polars as pl
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from edustat.configuration import Configuration
from edustat.disk import disk_full_sentence
from edustat.fingerprint import InputFiles
from edustat.indicators import IndicatorResult
from edustat.outcome import RunOutcome, Trigger, describe_failure
from edustat.settings import Settings
from edustat.staged import StagedTables
from edustat.words import plural
from runtime.interrupt import Interrupted, begin_cleanup
from schemas.bound import problem_totals
from schemas.completeness.wording import completeness_line
from warehouse import load, read, runs
from warehouse.correction import stored_inputs
from warehouse.engine import get_engine
from warehouse.migrate import migrate
from warehouse.sync import sync_configuration


@task(name="prepare_warehouse", cache_policy=NO_CACHE)
def prepare_warehouse(settings: Settings, configuration: Configuration) -> None:
    """Create or migrate the schema, then sync the catalogue and the region tree from config/."""
    engine = get_engine(settings.warehouse_url)
    migrate(engine)
    sync_configuration(engine, configuration.catalogue, configuration.regions)


@task(name="open_run", cache_policy=NO_CACHE)
def open_run(settings: Settings, year: int, trigger: Trigger, reason: str | None, fingerprint: str) -> int:
    """Record the run as started; its row stays even if the process dies."""
    run_id = runs.start_run(get_engine(settings.warehouse_url), year, trigger, reason, fingerprint, _flow_run_id())
    get_run_logger().info("run %d of year %d started", run_id, year)
    return run_id


@task(name="is_unchanged", cache_policy=NO_CACHE)
def is_unchanged(settings: Settings, year: int, inputs: InputFiles, configuration: Configuration) -> bool:
    """True when the year's current values came from byte-for-byte the same inputs, configuration and engine code."""
    engine = get_engine(settings.warehouse_url)
    if runs.current_fingerprint(engine, year) != inputs.fingerprint:
        return False
    stored = stored_inputs(engine, year)
    return stored is not None and stored.config_digest == configuration.digest()


@task(name="close_unchanged", cache_policy=NO_CACHE)
def close_unchanged(settings: Settings, run_id: int, year: int) -> RunOutcome:
    """Record a no-op rerun: same inputs as the current version, nothing written."""
    runs.finish_run(get_engine(settings.warehouse_url), run_id, status="unchanged")
    return RunOutcome(run_id=run_id, year=year, status="unchanged", message="inputs identical to the current version")


@task(name="read_previous_year", cache_policy=NO_CACHE)
def read_previous_year(settings: Settings, year: int) -> dict[str, pl.DataFrame]:
    """The previous year's school-level tables (key and numeric columns), for the year-on-year warnings and outliers; empty if not loaded."""
    return read.previous_year(get_engine(settings.warehouse_url), year)


@task(name="reject_year", cache_policy=NO_CACHE)
def reject_year(
    settings: Settings,
    run_id: int,
    year: int,
    issues: pl.DataFrame,
    error_workbook: str | None,
    reporting: pl.DataFrame,
    configuration: Configuration,
) -> RunOutcome:
    """Store every problem and mark the run rejected; no indicator value changes. The outcome says how complete the input was."""
    message = f"{plural(problem_totals(issues)[0], 'error')} block the load"
    load.record_rejection(get_engine(settings.warehouse_url), run_id, year, issues, message)
    get_run_logger().info("run %d of year %d rejected: %s", run_id, year, message)
    return RunOutcome(
        run_id=run_id, year=year, status="rejected", issues=issues, error_workbook=error_workbook, message=message,
        completeness=completeness_line(reporting, configuration.regions),
    )


@task(name="load_year", cache_policy=NO_CACHE)
def load_year(
    settings: Settings,
    run_id: int,
    year: int,
    result: IndicatorResult,
    staged: StagedTables,
    issues: pl.DataFrame,
    next_year_growth: pl.DataFrame | None,
    inputs: InputFiles,
    configuration: Configuration,
    reporting: pl.DataFrame,
    replacement: load.Replacement = load.WHOLE_YEAR,
) -> RunOutcome:
    """Load the year's new version (and the next year's refreshed growth) in one transaction; a correction replaces only its rows."""
    engine = get_engine(settings.warehouse_url)
    counts = load.load_year(
        engine,
        run_id,
        year,
        result.values,
        staged,
        issues,
        lock_timeout_s=settings.lock_timeout_s,
        next_year_growth=next_year_growth,
        replacement=replacement,
        input_files=inputs.files,
        config_digest=configuration.digest(),
        reporting=reporting,
    )
    return _loaded(settings, run_id, year, counts, issues, completeness_line(reporting, configuration.regions))


def _loaded(settings: Settings, run_id: int, year: int, counts: load.LoadCounts, issues: pl.DataFrame, completeness: str) -> RunOutcome:
    get_run_logger().info("run %d of year %d loaded: %s", run_id, year, counts)
    engine = get_engine(settings.warehouse_url)
    return RunOutcome(
        run_id=run_id,
        year=year,
        status="succeeded",
        values_added=counts.added,
        values_changed=counts.changed,
        values_unchanged=counts.unchanged,
        issues=issues,
        message=(runs.get_run(engine, run_id) or {}).get("message"),
        completeness=completeness,
    )


@contextmanager
def year_load(settings: Settings, run_id: int, year: int) -> Iterator[load.YearLoad]:
    """The whole year's load transaction, open while the files are parsed: their school rows go in as each batch arrives.

    Committed by ``finish_load``; rolled back when the body ends otherwise (a rejected year, an error).
    """
    with load.YearLoad(get_engine(settings.warehouse_url), run_id, year, settings.lock_timeout_s) as opened:
        yield opened


@task(name="finish_load", cache_policy=NO_CACHE)
def finish_load(
    settings: Settings,
    year_load: load.YearLoad,
    result: IndicatorResult,
    issues: pl.DataFrame,
    next_year_growth: pl.DataFrame | None,
    inputs: InputFiles,
    configuration: Configuration,
    reporting: pl.DataFrame,
) -> RunOutcome:
    """Write the year's new version of values (and the next year's refreshed growth) over its staged school rows, and commit."""
    counts = year_load.finish(
        result.values,
        issues,
        next_year_growth=next_year_growth,
        input_files=inputs.files,
        config_digest=configuration.digest(),
        reporting=reporting,
    )
    return _loaded(settings, year_load.run_id, year_load.year, counts, issues, completeness_line(reporting, configuration.regions))


@task(name="fail_run", cache_policy=NO_CACHE)
def fail_run(settings: Settings, run_id: int, year: int, error: BaseException) -> RunOutcome:
    """Mark the run failed (an unexpected error or a busy warehouse); the previous version stays current.

    The run's message keeps the exception's type, and the Prefect run's log its traceback, so that a
    maintainer can find where it came from.
    """
    message = disk_full_sentence(error, settings.warehouse_url) or describe_failure(error)
    get_run_logger().error("run %s of %s failed: %s", run_id, year, message, exc_info=error)
    runs.finish_run(get_engine(settings.warehouse_url), run_id, status="failed", message=message)
    return RunOutcome(run_id=run_id, year=year, status="failed", message=message)


def stop_run(settings: Settings, run_id: int | None, year: int, stop: Interrupted) -> Interrupted:
    """Mark the run failed with why it was stopped (Ctrl-C, SIGTERM); returns ``stop`` naming the year, the run and the Prefect flow run.

    The parse workers are stopped first and another signal from here on ends the process at once. A
    warehouse that does not answer leaves the row 'running' for the next run of the year to mark failed.
    """
    begin_cleanup(stop.signum)
    stop.year, stop.run_id, stop.flow_run_id = year, run_id, _flow_run_id()
    if run_id is not None:
        try:
            runs.finish_run(get_engine(settings.warehouse_url), run_id, status="failed", message=stop.reason)
        except Exception:  # noqa: BLE001 - the stop must go on; the next run marks a row left 'running' failed
            get_run_logger().warning("could not mark run %s of %s failed", run_id, year, exc_info=True)
            stop.run_id = None
    return stop


def _flow_run_id() -> str | None:
    from prefect.runtime import flow_run

    return flow_run.id


@task(name="read_previous_year_values", cache_policy=NO_CACHE)
def read_previous_year_values(settings: Settings, year: int) -> pl.DataFrame | None:
    """The current values of the year before, for growth; None when it is not loaded."""
    return read.year_values(get_engine(settings.warehouse_url), year - 1)


@task(name="read_next_year_values", cache_policy=NO_CACHE)
def read_next_year_values(settings: Settings, year: int) -> pl.DataFrame | None:
    """The current values of the year after, whose growth depends on this year; None when it is not loaded."""
    return read.year_values(get_engine(settings.warehouse_url), year + 1)
