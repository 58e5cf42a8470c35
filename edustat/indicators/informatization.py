"""Informatization indicators: schools with a multimedia classroom, multimedia classrooms per classroom."""

from __future__ import annotations

import polars as pl

from config.models import IndicatorKind, Rules
from edustat.indicators.common import counted_schools, in_group, school_rows
from edustat.staged import StagedTables


def codes(rules: Rules) -> dict[str, IndicatorKind]:
    """Indicator codes this module produces, with their kind."""
    return {"multimedia_school_rate": "ratio", "multimedia_classroom_share": "ratio"}


def contributions(staged: StagedTables, rules: Rules) -> pl.LazyFrame:
    """Contribution rows: one per counted primary/secondary school or teaching point per indicator.

    A school without a facilities row counts as having no multimedia classroom and adds 0 / 0 to the
    classroom share (so its row is there to drill into, and changes no sum).
    """
    schools = (
        counted_schools(staged)
        .filter(in_group(rules.school_groups.primary_and_secondary_with_teaching_points))
        .join(
            staged.facilities.lazy().select("school_code", "classrooms", "multimedia_classrooms"),
            on="school_code",
            how="left",
        )
        .with_columns(pl.col("classrooms", "multimedia_classrooms").fill_null(0))
    )
    return pl.concat(
        [
            school_rows(
                schools, "multimedia_school_rate", (pl.col("multimedia_classrooms") >= 1).cast(pl.Int64), pl.lit(1)
            ),
            school_rows(
                schools, "multimedia_classroom_share", pl.col("multimedia_classrooms"), pl.col("classrooms")
            ),
        ]
    )
