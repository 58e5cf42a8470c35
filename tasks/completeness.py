"""The task that assesses a corrected year's completeness: one row per configured county × table, for reporting_status and the run summary."""

from __future__ import annotations

import polars as pl

from edustat.configuration import Configuration
from edustat.correction import CheckedCorrection, CorrectionContext
from schemas.completeness.status import county_status, merged_status
from tasks import uncached_task
from warehouse.correction import stored_reporting
from warehouse.resource import Warehouse


@uncached_task(name="assess_correction_completeness")
def assess_correction_completeness(
    warehouse: Warehouse, year: int, checked: CheckedCorrection, context: CorrectionContext, configuration: Configuration
) -> pl.DataFrame:
    """The whole year's completeness after a correction: its counties recomputed, the others as stored (one row per county × table)."""
    touched = county_status(dict(checked.staged.items()), configuration.regions, configuration.rules, context.counties)
    return merged_status(stored_reporting(warehouse.engine, year), touched, context.counties, configuration.regions)
