"""Tasks that read and write the warehouse: each takes the run's Warehouse (made once at the flow's start), never a URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import polars as pl
from prefect import get_run_logger

from edustat.configuration import Configuration
from edustat.disk import disk_full_sentence
from edustat.fingerprint import InputFiles
from edustat.indicators import IndicatorResult
from edustat.outcome import RunOutcome, Trigger, describe_failure
from runtime.host_processes import is_gone_from_this_host
from runtime.interrupt import Interrupted, begin_cleanup
from runtime.pause_points import pause_point
from schemas.bound import problem_totals
from schemas.completeness.wording import completeness_line
from schemas.staged import StagedTables
from schemas.words import plural
from tasks import uncached_task
from warehouse import load, read, runs
from warehouse.correction import stored_inputs
from warehouse.migrate import migrate
from warehouse.rejection import record_rejection
from warehouse.replacement import WHOLE_YEAR, Replacement
from warehouse.resource import Warehouse
from warehouse.sync import sync_configuration
from warehouse.versions import LoadCounts


@uncached_task(name="prepare_warehouse")
def prepare_warehouse(warehouse: Warehouse, configuration: Configuration) -> None:
    """Create or migrate the schema, then sync the catalogue and the region tree from config/."""
    engine = warehouse.engine
    migrate(engine)
    sync_configuration(engine, configuration.catalogue, configuration.regions)


@uncached_task(name="open_run")
def open_run(warehouse: Warehouse, year: int, trigger: Trigger, reason: str | None, fingerprint: str) -> int:
    """Record the run as started; its row stays even if the process dies."""
    run_id = runs.start_run(warehouse.engine, year, trigger, reason, fingerprint, _flow_run_id(), is_gone=is_gone_from_this_host)
    get_run_logger().info("run %d of year %d started", run_id, year)
    return run_id


@uncached_task(name="is_unchanged")
def is_unchanged(warehouse: Warehouse, year: int, inputs: InputFiles, configuration: Configuration) -> bool:
    """True when the year's current values came from byte-for-byte the same inputs, configuration and engine code."""
    engine = warehouse.engine
    if runs.current_fingerprint(engine, year) != inputs.fingerprint:
        return False
    stored = stored_inputs(engine, year)
    return stored is not None and stored.config_digest == configuration.digest()


@uncached_task(name="close_unchanged")
def close_unchanged(warehouse: Warehouse, run_id: int, year: int) -> RunOutcome:
    """Record a no-op rerun: same inputs as the current version, nothing written."""
    runs.finish_run(warehouse.engine, run_id, status="unchanged")
    return RunOutcome(run_id=run_id, year=year, status="unchanged", message="inputs identical to the current version")


@uncached_task(name="read_previous_year")
def read_previous_year(warehouse: Warehouse, year: int) -> dict[str, pl.DataFrame]:
    """The previous year's school-level tables (key and numeric columns), for the year-on-year warnings and outliers; empty if not loaded."""
    return read.previous_year(warehouse.engine, year)


@uncached_task(name="reject_year")
def reject_year(
    warehouse: Warehouse,
    run_id: int,
    year: int,
    issues: pl.DataFrame,
    error_workbook: str | None,
    reporting: pl.DataFrame,
    configuration: Configuration,
) -> RunOutcome:
    """Store every problem and mark the run rejected; no indicator value changes. The outcome says how complete the input was."""
    message = f"{plural(problem_totals(issues)[0], 'error')} block the load"
    record_rejection(warehouse.engine, run_id, year, issues, message)
    get_run_logger().info("run %d of year %d rejected: %s", run_id, year, message)
    return RunOutcome(
        run_id=run_id, year=year, status="rejected", issues=issues, error_workbook=error_workbook, message=message,
        completeness=completeness_line(reporting, configuration.regions),
    )


@uncached_task(name="load_year")
def load_year(
    warehouse: Warehouse,
    run_id: int,
    year: int,
    result: IndicatorResult,
    staged: StagedTables,
    issues: pl.DataFrame,
    next_year_growth: pl.DataFrame | None,
    inputs: InputFiles,
    configuration: Configuration,
    reporting: pl.DataFrame,
    replacement: Replacement = WHOLE_YEAR,
) -> RunOutcome:
    """Load the year's new version (and the next year's refreshed growth) in one transaction; a correction replaces only its rows."""
    engine = warehouse.engine
    counts = load.load_year(
        engine,
        run_id,
        year,
        result.values,
        staged,
        issues,
        lock_timeout_s=warehouse.lock_timeout_s,
        next_year_growth=next_year_growth,
        replacement=replacement,
        input_files=inputs.files,
        config_digest=configuration.digest(),
        reporting=reporting,
        pause=pause_point,
    )
    return _loaded(warehouse, run_id, year, counts, issues, completeness_line(reporting, configuration.regions))


def _loaded(warehouse: Warehouse, run_id: int, year: int, counts: LoadCounts, issues: pl.DataFrame, completeness: str) -> RunOutcome:
    get_run_logger().info("run %d of year %d loaded: %s", run_id, year, counts)
    engine = warehouse.engine
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
def year_load(warehouse: Warehouse, run_id: int, year: int) -> Iterator[load.YearLoad]:
    """The whole year's load transaction, open while the files are parsed: their school rows go in as each batch arrives.

    Committed by ``finish_load``; rolled back when the body ends otherwise (a rejected year, an error).
    """
    with load.YearLoad(warehouse.engine, run_id, year, warehouse.lock_timeout_s, pause=pause_point) as opened:
        yield opened


@uncached_task(name="finish_load")
def finish_load(
    warehouse: Warehouse,
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
    return _loaded(warehouse, year_load.run_id, year_load.year, counts, issues, completeness_line(reporting, configuration.regions))


@uncached_task(name="fail_run")
def fail_run(warehouse: Warehouse, run_id: int, year: int, error: BaseException) -> RunOutcome:
    """Mark the run failed (an unexpected error or a busy warehouse); the previous version stays current.

    The run's message keeps the exception's type, and the Prefect run's log its traceback, so that a
    maintainer can find where it came from.
    """
    message = disk_full_sentence(error, warehouse.url) or describe_failure(error)
    get_run_logger().error("run %s of %s failed: %s", run_id, year, message, exc_info=error)
    runs.finish_run(warehouse.engine, run_id, status="failed", message=message)
    return RunOutcome(run_id=run_id, year=year, status="failed", message=message)


def stop_run(warehouse: Warehouse, run_id: int | None, year: int, stop: Interrupted) -> Interrupted:
    """Mark the run failed with why it was stopped (Ctrl-C, SIGTERM); returns ``stop`` naming the year, the run and the Prefect flow run.

    The parse workers are stopped first and another signal from here on ends the process at once. A
    warehouse that does not answer leaves the row 'running' for the next run of the year to mark failed.
    """
    begin_cleanup(stop.signum)
    stop.year, stop.run_id, stop.flow_run_id = year, run_id, _flow_run_id()
    if run_id is not None:
        try:
            runs.finish_run(warehouse.engine, run_id, status="failed", message=stop.reason)
        except Exception:  # noqa: BLE001 - the stop must go on; the next run marks a row left 'running' failed
            get_run_logger().warning("could not mark run %s of %s failed", run_id, year, exc_info=True)
            stop.run_id = None
    return stop


def _flow_run_id() -> str | None:
    from prefect.runtime import flow_run

    return flow_run.id


@uncached_task(name="read_previous_year_values")
def read_previous_year_values(warehouse: Warehouse, year: int) -> pl.DataFrame | None:
    """The current values of the year before, for growth; None when it is not loaded."""
    return read.year_values(warehouse.engine, year - 1)


@uncached_task(name="read_next_year_values")
def read_next_year_values(warehouse: Warehouse, year: int) -> pl.DataFrame | None:
    """The current values of the year after, whose growth depends on this year; None when it is not loaded."""
    return read.year_values(warehouse.engine, year + 1)
