"""教职工 (staff): one row per school per stage."""

from __future__ import annotations

import pandera.polars as pa

from config import Rules
from schemas.base import SchoolStageModel

class StaffModel(SchoolStageModel):
    """Staff and teachers of one school and stage: counts ≥ 0 (teachers ≤ staff and each sub-count ≤ teachers are checks of config/checks.toml)."""

    staff: int = pa.Field(ge=0)
    teachers: int = pa.Field(ge=0)
    teachers_above_degree: int = pa.Field(ge=0)
    teachers_senior_title: int = pa.Field(ge=0)
    backbone_teachers: int = pa.Field(ge=0)
    pe_art_teachers: int = pa.Field(ge=0)
    putonghua_qualified: int = pa.Field(ge=0)
    new_teachers: int = pa.Field(ge=0)
    training_sessions: int = pa.Field(ge=0)


def staff_schema(rules: Rules) -> pa.DataFrameSchema:
    """The staff schema (no rule of it depends on config)."""
    return StaffModel.to_schema()
