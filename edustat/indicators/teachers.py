"""Teacher indicators: pupil-teacher ratio per stage, Putonghua share, new teachers, training sessions."""

from __future__ import annotations

import polars as pl

from config.models import IndicatorKind, Rules
from edustat.indicators.common import per_school_stage, school_rows, with_school
from edustat.staged import StagedTables

RATIO_PREFIX = "pupil_teacher_ratio_"


def codes(rules: Rules) -> dict[str, IndicatorKind]:
    """Indicator codes this module produces, with their kind."""
    return {f"{RATIO_PREFIX}{stage}": "ratio" for stage in rules.stages} | {
        "putonghua_teacher_share": "ratio",
        "new_teachers": "sum",
        "teacher_training_sessions": "sum",
    }


def contributions(staged: StagedTables, rules: Rules) -> pl.LazyFrame:
    """Contribution rows: one per school and stage (pupil-teacher ratio), one per school with staff rows otherwise."""
    stages = list(rules.stages)
    # A stage with pupils but no teachers (or the reverse) still counts on its one side.
    by_stage = per_school_stage(staged, ("enrollment", "students"), ("staff", "teachers"), stages)
    staff = (
        with_school(staged.staff.lazy(), staged)
        .group_by("county_code", "school_code", maintain_order=True)
        .agg(pl.col("putonghua_qualified", "teachers", "new_teachers", "training_sessions").sum())
    )
    return pl.concat(
        [
            school_rows(
                by_stage,
                pl.lit(RATIO_PREFIX) + pl.col("stage"),
                pl.col("students").fill_null(0),
                pl.col("teachers").fill_null(0),
            ),
            school_rows(staff, "putonghua_teacher_share", pl.col("putonghua_qualified"), pl.col("teachers")),
            school_rows(staff, "new_teachers", pl.col("new_teachers")),
            school_rows(staff, "teacher_training_sessions", pl.col("training_sessions")),
        ]
    )
