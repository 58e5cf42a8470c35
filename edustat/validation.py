"""Validation alone: a year's input folder checked, nothing written to the warehouse."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from sqlalchemy.exc import SQLAlchemyError

from edustat.configuration import Configuration
from edustat.ingest.stage import stage_year
from warehouse.engine import get_engine
from warehouse.read import previous_enrollment


def previous_enrollment_if_loaded(warehouse_url: str, year: int) -> pl.DataFrame | None:
    """The previous year's students per school and stage when the warehouse has them, else None."""
    try:
        return previous_enrollment(get_engine(warehouse_url), year)
    except SQLAlchemyError:
        # No warehouse yet (or no schema): the year-on-year warnings need a previous year, so they are skipped.
        return None


def validate_inputs(input_dir: Path, configuration: Configuration, warehouse_url: str, year: int) -> pl.DataFrame:
    """Every problem of the year's input folder: one row per problem, errors and warnings."""
    previous = previous_enrollment_if_loaded(warehouse_url, year)
    _, issues = stage_year(input_dir, configuration.regions, configuration.rules, previous_enrollment=previous)
    return issues
