"""Validation alone: a year's input folder checked, nothing written to the warehouse."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from edustat.configuration import Configuration
from edustat.ingest.stage import stage_year
from schemas.completeness.status import county_status
from schemas.completeness.wording import reporting_checklist
from schemas.county_scope import issues_of_counties


@dataclass(frozen=True)
class Validation:
    """A year's input checked: every problem (one row per problem), the completeness per county × table
    (``schemas.completeness.status.STATUS_SCHEMA``) and the clerk's checklist (one row per county)."""

    issues: pl.DataFrame
    status: pl.DataFrame
    checklist: pl.DataFrame


def validate_inputs(
    input_dir: Path, configuration: Configuration, previous: dict[str, pl.DataFrame] | None, counties: Sequence[str] | None = None
) -> Validation:
    """Every problem of the year's input folder, and which county sent which table.

    ``previous``: the previous year's school-level tables (table name → rows) when the warehouse has
    them; None skips the year-on-year warnings. ``counties`` (county codes of the region file) checks
    those counties alone: their schools' problems, and completeness over them only (``schemas.county_scope``).
    """
    staged, issues = stage_year(
        input_dir, configuration.regions, configuration.rules, previous_enrollment=previous.get("enrollment") if previous else None,
        counties=counties, checks=configuration.checks, previous_year=previous,
    )
    tables = dict(staged.items())
    if counties is not None:
        issues = issues_of_counties(issues, tables, counties, configuration.regions)
    status = county_status(tables, configuration.regions, configuration.rules, counties)
    return Validation(issues=issues, status=status, checklist=reporting_checklist(tables, status, configuration.regions))
