"""The task that assesses a corrected year's completeness: one row per configured county × table, for reporting_status and the run summary."""

from __future__ import annotations

import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE

from edustat.configuration import Configuration
from edustat.correction import CheckedCorrection, CorrectionContext
from edustat.settings import Settings
from schemas.completeness.status import county_status, merged_status
from warehouse.correction import stored_reporting
from warehouse.engine import get_engine


@task(name="assess_correction_completeness", cache_policy=NO_CACHE)
def assess_correction_completeness(
    settings: Settings, year: int, checked: CheckedCorrection, context: CorrectionContext, configuration: Configuration
) -> pl.DataFrame:
    """The whole year's completeness after a correction: its counties recomputed, the others as stored (one row per county × table)."""
    touched = county_status(dict(checked.staged.items()), configuration.regions, configuration.rules, context.counties)
    return merged_status(stored_reporting(get_engine(settings.warehouse_url), year), touched, context.counties, configuration.regions)
