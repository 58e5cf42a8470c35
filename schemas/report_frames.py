"""What a report is made from: a year's values, the year before's, names, runs and completeness, as frames."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl


def unknown_completeness() -> pl.DataFrame:
    """A completeness frame with no region: nothing known, so nothing marked."""
    return pl.DataFrame(schema={"region_code": pl.String, "is_complete": pl.Boolean, "completeness": pl.String})


@dataclass(frozen=True)
class ReportFrames:
    """Everything the report is made from, read from the warehouse alone.

    values / previous: one row per region per indicator (region_code, indicator_code, value, run_id)
    of the year and of the year before; regions: one row per region; indicators: one row per code
    (names, section, unit, catalogue order); runs: one row per run behind ``values``; completeness:
    one row per region of the year's reporting_status (region_code, is_complete, completeness), empty
    when unknown (a pinned run that is no longer current: only the current version's completeness is kept).
    """

    year: int
    values: pl.DataFrame
    previous: pl.DataFrame
    regions: pl.DataFrame
    indicators: pl.DataFrame
    runs: pl.DataFrame
    pinned_run: int | None = None
    completeness: pl.DataFrame = field(default_factory=lambda: unknown_completeness())
