"""教职工 (staff): one row per school per stage."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from config.models import Rules
from schemas.base import SchoolStageModel, holds

TEACHER_SUBCOUNTS = (
    "teachers_above_degree",
    "teachers_senior_title",
    "backbone_teachers",
    "pe_art_teachers",
    "putonghua_qualified",
    "new_teachers",
)
"""Counts of teachers with some property: each between 0 and teachers."""


class StaffModel(SchoolStageModel):
    """Staff and teachers of one school and stage: counts ≥ 0, teachers ≤ staff, each sub-count ≤ teachers."""

    staff: int = pa.Field(ge=0)
    teachers: int = pa.Field(ge=0)
    teachers_above_degree: int = pa.Field(ge=0)
    teachers_senior_title: int = pa.Field(ge=0)
    backbone_teachers: int = pa.Field(ge=0)
    pe_art_teachers: int = pa.Field(ge=0)
    putonghua_qualified: int = pa.Field(ge=0)
    new_teachers: int = pa.Field(ge=0)
    training_sessions: int = pa.Field(ge=0)

    @pa.check("teachers", name="teachers_exceed_staff")
    def teachers_exceed_staff(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """One boolean per row: teachers ≤ staff."""
        return holds(data, pl.col("teachers") <= pl.col("staff"), "teachers", "staff")

    @pa.check(*TEACHER_SUBCOUNTS, name="exceeds_teachers")
    def exceeds_teachers(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """One boolean per row and sub-count column: the sub-count ≤ teachers."""
        return holds(data, pl.col(data.key) <= pl.col("teachers"), data.key, "teachers")


def staff_schema(rules: Rules) -> pa.DataFrameSchema:
    """The staff schema (no rule of it depends on config)."""
    return StaffModel.to_schema()
