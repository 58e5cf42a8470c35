"""What one yearly run ends with, as the command line and the deployments report it."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from schemas.bound import problem_totals
from schemas.runs import RunStatus, Trigger

__all__ = ["RunOutcome", "RunStatus", "Trigger", "describe_failure"]


@dataclass(frozen=True)
class RunOutcome:
    """One run of one year: its status, what it changed, and the problems it found."""

    run_id: int
    year: int
    status: RunStatus
    values_added: int = 0
    values_changed: int = 0
    values_unchanged: int = 0
    issues: pl.DataFrame = field(default_factory=pl.DataFrame)
    error_workbook: str | None = None
    message: str | None = None
    completeness: str | None = None
    """The year's completeness in one line ("8 of 8 counties reported"); None when the run did not check it."""

    @property
    def error_count(self) -> int:
        """Number of blocking problems (those a bounded list only counts included)."""
        return problem_totals(self.issues)[0]

    @property
    def warning_count(self) -> int:
        """Number of non-blocking problems (those a bounded list only counts included)."""
        return problem_totals(self.issues)[1]


def describe_failure(error: BaseException) -> str:
    """A failed run's message: the exception's type and its text on one line ("KeyError: 'county_code'")."""
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
