"""Senior-stage indicators: gross enrolment rate and the vocational share of entrants."""

from __future__ import annotations

import polars as pl

from config.models import IndicatorKind, Rules
from edustat.indicators.common import population_rows, school_rows, with_school
from edustat.staged import StagedTables

SENIOR_STAGES = ("senior", "vocational")
"""高中阶段 = 普通高中 + 中职 (contract §4)."""


def codes(rules: Rules) -> dict[str, IndicatorKind]:
    """Indicator codes this module produces, with their kind."""
    return {"senior_ger": "ratio", "vocational_entrant_share": "ratio"}


def contributions(staged: StagedTables, rules: Rules) -> pl.LazyFrame:
    """Contribution rows: one per school with a senior or vocational row per indicator, one per county (age_15_17)."""
    per_school = (
        with_school(staged.enrollment.lazy().filter(pl.col("stage").is_in(SENIOR_STAGES)), staged)
        .group_by("county_code", "school_code", maintain_order=True)
        .agg(
            pl.col("students").sum(),
            pl.col("entrants").sum(),
            pl.col("entrants").filter(pl.col("stage") == "vocational").sum().alias("vocational_entrants"),
        )
    )
    return pl.concat(
        [
            school_rows(per_school, "senior_ger", pl.col("students")),
            population_rows(staged, "senior_ger", "age_15_17"),
            school_rows(per_school, "vocational_entrant_share", pl.col("vocational_entrants"), pl.col("entrants")),
        ]
    )
