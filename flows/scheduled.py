"""The two flows the deployments serve: the yearly schedule (previous calendar year) and the manual rerun of a year."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from uuid import UUID
from zoneinfo import ZoneInfo

from prefect import flow
from prefect.states import Failed, State

from edustat.outcome import RunOutcome
from flows.runners import configured_yearly_flow
from schemas.rules import load_rules

FAILED_STATUSES = frozenset({"rejected", "failed"})
"""Outcomes that end the deployment's flow run as Failed, so that the Prefect UI and its notifications flag them."""


def statistical_year(moment: datetime, time_zone: str) -> int:
    """The year a yearly run at ``moment`` processes: the calendar year before ``moment`` in ``time_zone``."""
    return moment.astimezone(ZoneInfo(time_zone)).year - 1


def input_dir_for(year: int, pattern: str, base: Path | None = None) -> Path:
    """The year's input folder from the configured pattern (``data/raw/{year}``); a relative pattern is taken from ``base`` (default: the working directory)."""
    folder = Path(pattern.format(year=year)).expanduser()
    return folder if folder.is_absolute() else (base or Path.cwd()) / folder


def require_folder(folder: Path, year: int) -> str:
    """The folder as text, or FileNotFoundError telling the operator where the year's files are expected."""
    if not folder.is_dir():
        raise FileNotFoundError(
            f"no input folder for {year}: {folder} does not exist; put the counties' files there (a rerun can also name input_dir)"
            f" / 未找到 {year} 年的输入文件夹 {folder}"
        )
    return str(folder)


def failure_message(outcome: RunOutcome) -> str | None:
    """Why the run ends as Failed (rejected input or a failed load), or None when it loaded or was unchanged."""
    if outcome.status not in FAILED_STATUSES:
        return None
    where = f"; error workbook: {outcome.error_workbook}" if outcome.error_workbook else ""
    return f"{outcome.year}: run {outcome.run_id} {outcome.status}: {outcome.message}{where}"


def final_state(outcome: RunOutcome) -> RunOutcome | State:
    """The flow's return: the outcome when loaded or unchanged, a Failed state carrying the reason otherwise."""
    message = failure_message(outcome)
    return outcome if message is None else Failed(message=message)


def end_as_failed(flow_run_id: UUID | None, message: str) -> None:
    """End the finished flow run ``flow_run_id`` (a yearly run started from the command line) as Failed with ``message``.

    The flow itself returns its outcome, which the command prints; only its Prefect state changes, as
    final_state does for the deployments' runs.
    """
    if flow_run_id is None:
        return
    from runtime.prefect_api import api_client

    with api_client() as client:
        client.set_flow_run_state(flow_run_id, Failed(message=message), force=True)


def _scheduled_moment() -> datetime:
    """When this flow run was scheduled for (a late start still processes the right year); now outside a run."""
    from prefect.runtime import flow_run

    scheduled = flow_run.scheduled_start_time
    return scheduled if isinstance(scheduled, datetime) else datetime.now(timezone.utc)


@flow(name="edustat-scheduled", flow_run_name="scheduled", log_prints=False)
def scheduled_flow() -> RunOutcome | State:
    """The yearly schedule's run: the previous calendar year, from the configured input folder, trigger "scheduled"."""
    schedule = load_rules().schedule
    year = statistical_year(_scheduled_moment(), schedule.timezone)
    input_dir = require_folder(input_dir_for(year, schedule.input_pattern), year)
    return final_state(configured_yearly_flow()(year=year, input_dir=input_dir, reason=None, trigger="scheduled"))


@flow(name="edustat-rerun", flow_run_name="rerun-{year}", log_prints=False)
def rerun_flow(year: int, reason: str, input_dir: str | None = None, allow_incomplete: bool = False) -> RunOutcome | State:
    """A manual rerun of one year (a county's correction): trigger "manual", input folder from the schedule's pattern unless given.

    ``allow_incomplete`` loads the year despite missing counties, tables or school rows (stored as warnings).
    """
    folder = Path(input_dir) if input_dir else input_dir_for(year, load_rules().schedule.input_pattern)
    return final_state(
        configured_yearly_flow()(
            year=year, input_dir=require_folder(folder, year), reason=reason, trigger="manual", allow_incomplete=allow_incomplete
        )
    )
