"""The Prefect deployments `edustat serve` serves: the yearly schedule and the manual rerun of a year."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prefect.deployments.runner import EntrypointType
from prefect.schedules import Cron

from config import Schedule
from flows.scheduled import rerun_flow, scheduled_flow

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment

YEARLY_DEPLOYMENT = "yearly"
RERUN_DEPLOYMENT = "rerun"
TAGS = ["edustat"]


def full_name(deployment: RunnerDeployment) -> str:
    """The name `prefect deployment run` takes: "<flow name>/<deployment name>"."""
    return f"{deployment.flow_name}/{deployment.name}"


def yearly_deployment(schedule: Schedule) -> RunnerDeployment:
    """The scheduled yearly run: the schedule's cron in its time zone, processing the previous calendar year."""
    return scheduled_flow.to_deployment(
        name=YEARLY_DEPLOYMENT,
        schedules=[Cron(schedule.cron, timezone=schedule.timezone)],
        description=(
            f"Loads the previous calendar year from {schedule.input_pattern} "
            f"(cron {schedule.cron!r}, {schedule.timezone}); trigger 'scheduled'."
        ),
        tags=TAGS,
        # A module path, not a file path: the served flow is found wherever `edustat serve` was started.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def rerun_deployment(schedule: Schedule) -> RunnerDeployment:
    """The manual rerun: parameters year and reason (input_dir optional, default from the schedule's pattern); trigger 'manual'."""
    return rerun_flow.to_deployment(
        name=RERUN_DEPLOYMENT,
        description=(
            f"Reruns one year, e.g. after a county's correction: parameters year and reason; "
            f"input_dir defaults to {schedule.input_pattern}; allow_incomplete=true loads a year with missing counties, "
            f"tables or school rows (stored as warnings). Trigger 'manual'."
        ),
        tags=TAGS,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def build_deployments(schedule: Schedule) -> list[RunnerDeployment]:
    """Both deployments, yearly first, ready for ``prefect.serve``."""
    return [yearly_deployment(schedule), rerun_deployment(schedule)]
