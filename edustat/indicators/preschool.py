"""Preschool indicators: gross enrolment, public share, inclusive coverage, inclusive private kindergartens."""

from __future__ import annotations

import polars as pl

from config.models import IndicatorKind, Rules
from edustat.indicators.common import counted_schools, in_group, population_rows, school_rows, with_school
from edustat.staged import StagedTables

PRESCHOOL = "preschool"


def codes(rules: Rules) -> dict[str, IndicatorKind]:
    """Indicator codes this module produces, with their kind."""
    return {
        "preschool_ger": "ratio",
        "preschool_public_share": "ratio",
        "preschool_inclusive_coverage": "ratio",
        "inclusive_private_kindergartens": "count",
    }


def contributions(staged: StagedTables, rules: Rules) -> pl.LazyFrame:
    """Contribution rows: one per school with a preschool row per ratio, one per county (age_3_5) for the
    enrolment rate, one per counted private inclusive kindergarten."""
    preschool = with_school(staged.enrollment.lazy().filter(pl.col("stage") == PRESCHOOL), staged)
    students = pl.col("students").fill_null(0)
    is_public = pl.col("ownership") == "public"
    is_inclusive = is_public | pl.col("is_inclusive").fill_null(False)
    kindergartens = counted_schools(staged).filter(
        (pl.col("ownership") == "private")
        & in_group(rules.school_groups.kindergartens)
        & pl.col("is_inclusive").fill_null(False)
    )
    return pl.concat(
        [
            school_rows(preschool, "preschool_ger", students),
            population_rows(staged, "preschool_ger", "age_3_5"),
            school_rows(preschool, "preschool_public_share", pl.when(is_public).then(students).otherwise(0), students),
            school_rows(
                preschool, "preschool_inclusive_coverage", pl.when(is_inclusive).then(students).otherwise(0), students
            ),
            school_rows(kindergartens, "inclusive_private_kindergartens", pl.lit(1)),
        ]
    )
