"""Tasks that tell people about a run's problems: Prefect artifacts and the clerk's error workbook."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from edustat.configuration import Configuration
from edustat.summary import summary_markdown
from schemas.issues import has_errors
from tasks import uncached_task

ARTIFACT_ROWS = 1000
"""The table artifact lists at most this many problems; the warehouse keeps all of them."""


@uncached_task(name="has_blocking_errors")
def has_blocking_errors(issues: pl.DataFrame) -> bool:
    """True when any problem is an error, which blocks the load."""
    return has_errors(issues)


@uncached_task(name="publish_issues")
def publish_issues(year: int, issues: pl.DataFrame) -> None:
    """The problem summary as a markdown artifact and the problems as a table artifact on the flow run's page."""
    key = f"edustat-issues-{year}"
    create_markdown_artifact(markdown=summary_markdown(year, issues), key=key, description=f"Problems of {year}")
    if not issues.is_empty():
        rows = issues.head(ARTIFACT_ROWS).with_columns(pl.all().cast(pl.String)).to_dicts()
        create_table_artifact(table=rows, key=f"{key}-table", description=f"Problems of {year} (first {ARTIFACT_ROWS})")


@uncached_task(name="write_error_workbook")
def write_error_workbook(error_workbook_dir: Path, year: int, input_dir: str, issues: pl.DataFrame, configuration: Configuration) -> str:
    """The problem list of a rejected year and, beside it, the marked copy of each file with a problem; returns the list's path."""
    # Imported here: openpyxl costs every run half a second of start-up, and only rejected runs need it.
    from edustat.errorbook import write_error_workbook as write_workbook

    out = Path(error_workbook_dir) / f"errors_{year}.xlsx"
    return str(write_workbook(issues, Path(input_dir), out, max_copied_cells=configuration.rules.limits.max_copied_cells))
