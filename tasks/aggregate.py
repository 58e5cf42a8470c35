"""Tasks that turn validated tables into indicator values."""

from __future__ import annotations

import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE

from edustat.configuration import Configuration
from edustat.indicators import IndicatorResult, compute_indicators
from edustat.indicators.growth import growth
from edustat.staged import StagedTables


@task(name="aggregate_indicators", cache_policy=NO_CACHE)
def aggregate_indicators(
    staged: StagedTables, configuration: Configuration, previous_values: pl.DataFrame | None
) -> IndicatorResult:
    """Every indicator of the year at every level: one row per region per indicator."""
    return compute_indicators(
        staged, configuration.regions, configuration.rules, configuration.catalogue, previous_values=previous_values
    )


@task(name="recompute_next_year_growth", cache_policy=NO_CACHE)
def recompute_next_year_growth(
    next_year_values: pl.DataFrame | None, result: IndicatorResult, configuration: Configuration
) -> pl.DataFrame | None:
    """Growth values of the following year against this year's new values; None when that year is not loaded."""
    if next_year_values is None:
        return None
    return growth(next_year_values, result.values, configuration.catalogue)
