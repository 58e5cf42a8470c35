"""What a yearly run can be: its statuses and its triggers, declared once for the run outcome and the etl_run table."""

from __future__ import annotations

from typing import Literal, get_args

RunStatus = Literal["succeeded", "rejected", "failed", "unchanged"]
"""How a run ended: loaded, refused for its errors, broken, or nothing to change."""

RUN_STATUSES: tuple[str, ...] = ("running", *get_args(RunStatus))
"""Every etl_run.status: a run is running until it ends with one of RunStatus."""

Trigger = Literal["scheduled", "manual"]
"""What started a run: a deployment's schedule, or someone."""

RUN_TRIGGERS: tuple[str, ...] = get_args(Trigger)
"""Every etl_run.trigger."""
