"""在校生 (enrollment): one row per school per stage."""

from __future__ import annotations

import pandera.polars as pa

from config import Rules
from schemas.base import SchoolStageModel


class EnrollmentModel(SchoolStageModel):
    """Students, entrants and classes of one school and stage: counts ≥ 0 (their relations are checks of config/checks.toml)."""

    students: int = pa.Field(ge=0)
    entrants: int = pa.Field(ge=0)
    classes: int = pa.Field(ge=0)
    classes_56_65: int = pa.Field(ge=0)
    classes_66_plus: int = pa.Field(ge=0)


def enrollment_schema(rules: Rules) -> pa.DataFrameSchema:
    """The enrollment schema (no rule of it depends on config)."""
    return EnrollmentModel.to_schema()
