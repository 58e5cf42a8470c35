"""Class-size indicators of primary and junior: share of large classes, super-large classes."""

from __future__ import annotations

import polars as pl

from config.models import IndicatorKind, Rules
from edustat.indicators.common import school_rows, with_school
from edustat.staged import StagedTables

CLASS_STAGES = ("primary", "junior")
"""The contract defines both indicators over primary and junior (义务教育) classes."""


def codes(rules: Rules) -> dict[str, IndicatorKind]:
    """Indicator codes this module produces, with their kind."""
    return {"large_class_share": "ratio", "super_large_classes": "sum"}


def contributions(staged: StagedTables, rules: Rules) -> pl.LazyFrame:
    """Contribution rows: one per school with a primary or junior row per indicator, its two stages summed."""
    per_school = (
        with_school(staged.enrollment.lazy().filter(pl.col("stage").is_in(CLASS_STAGES)), staged)
        .group_by("county_code", "school_code", maintain_order=True)
        .agg(
            pl.col("classes").sum(),
            (pl.col("classes_56_65").fill_null(0) + pl.col("classes_66_plus").fill_null(0)).sum().alias("large"),
            pl.col("classes_66_plus").sum(),
        )
    )
    return pl.concat(
        [
            school_rows(per_school, "large_class_share", pl.col("large"), pl.col("classes")),
            school_rows(per_school, "super_large_classes", pl.col("classes_66_plus")),
        ]
    )
