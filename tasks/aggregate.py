"""Tasks that turn validated tables into indicator values."""

from __future__ import annotations

import polars as pl

from edustat.configuration import Configuration
from edustat.indicators import IndicatorResult, compute_indicators
from edustat.indicators.growth import growth
from schemas.staged import StagedTables
from tasks import uncached_task


@uncached_task(name="aggregate_indicators")
def aggregate_indicators(
    staged: StagedTables, configuration: Configuration, previous_values: pl.DataFrame | None
) -> IndicatorResult:
    """Every indicator of the year at every level: one row per region per indicator."""
    return compute_indicators(
        staged, configuration.regions, configuration.rules, configuration.catalogue, previous_values=previous_values
    )


@uncached_task(name="recompute_next_year_growth")
def recompute_next_year_growth(
    next_year_values: pl.DataFrame | None, result: IndicatorResult, configuration: Configuration
) -> pl.DataFrame | None:
    """Growth values of the following year against this year's new values; None when that year is not loaded."""
    if next_year_values is None:
        return None
    return growth(next_year_values, result.values, configuration.catalogue)
