"""在校生 (enrollment): one row per school per stage."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from config.models import Rules
from schemas.base import SchoolStageModel, holds


class EnrollmentModel(SchoolStageModel):
    """Students, entrants and classes of one school and stage: counts ≥ 0 and consistent with each other."""

    students: int = pa.Field(ge=0)
    entrants: int = pa.Field(ge=0)
    classes: int = pa.Field(ge=0)
    classes_56_65: int = pa.Field(ge=0)
    classes_66_plus: int = pa.Field(ge=0)

    @pa.check("entrants", name="entrants_exceed_students")
    def entrants_exceed_students(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """One boolean per row: entrants ≤ students."""
        return holds(data, pl.col("entrants") <= pl.col("students"), "entrants", "students")

    @pa.check("classes", name="classes_missing")
    def classes_missing(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """One boolean per row: classes > 0 wherever students > 0."""
        return holds(data, (pl.col("students") == 0) | (pl.col("classes") > 0), "students", "classes")

    @pa.check("classes", name="large_classes_exceed_classes")
    def large_classes_exceed_classes(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """One boolean per row: classes_56_65 + classes_66_plus ≤ classes."""
        rule = pl.col("classes_56_65") + pl.col("classes_66_plus") <= pl.col("classes")
        return holds(data, rule, "classes_56_65", "classes_66_plus", "classes")


def enrollment_schema(rules: Rules) -> pa.DataFrameSchema:
    """The enrollment schema (no rule of it depends on config)."""
    return EnrollmentModel.to_schema()
