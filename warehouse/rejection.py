"""A run's issues stored and counted, and a rejected run recorded (issues stored, nothing loaded)."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, Engine

from warehouse.bulk import insert_frame
from warehouse.engine import write_transaction
from warehouse.runs import refuse_other_year, set_run_status
from warehouse.schema import validation_issue


def issue_counts(issues: pl.DataFrame) -> tuple[int, int]:
    """(errors, warnings) of an issue frame."""
    if issues.height == 0:
        return 0, 0
    severity = issues.get_column("severity")
    return int((severity == "error").sum()), int((severity == "warning").sum())


def insert_issues(conn: Connection, run_id: int, year: int, issues: pl.DataFrame) -> int:
    """Store every row of the issue frame against ``run_id``; returns the count."""
    optional = [c.name for c in validation_issue.columns if c.nullable]
    return insert_frame(conn, validation_issue, issues, fixed={"run_id": run_id, "year": year}, optional=optional)


def record_rejection(engine: Engine, run_id: int, year: int, issues: pl.DataFrame, message: str | None) -> None:
    """Store the issues of a rejected run and mark it 'rejected'; no indicator value or school table changes."""
    with write_transaction(engine) as conn:
        refuse_other_year(conn, run_id, year)
        insert_issues(conn, run_id, year, issues)
        errors, warnings = issue_counts(issues)
        set_run_status(conn, run_id, "rejected", error_count=errors, warning_count=warnings, message=message)
