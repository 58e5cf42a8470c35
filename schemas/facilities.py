"""办学条件 (facilities): one row per school."""

from __future__ import annotations

import pandera.polars as pa

from config import Rules
from schemas.base import SchoolRowModel


class FacilitiesModel(SchoolRowModel):
    """Areas, equipment value, computers, books and classrooms of one school: numbers ≥ 0."""

    teaching_area_m2: float = pa.Field(ge=0)
    sports_area_m2: float = pa.Field(ge=0)
    equipment_value_10k_yuan: float = pa.Field(ge=0)
    computers: float = pa.Field(ge=0)
    books: float = pa.Field(ge=0)
    classrooms: float = pa.Field(ge=0)
    multimedia_classrooms: float = pa.Field(ge=0)


def facilities_schema(rules: Rules) -> pa.DataFrameSchema:
    """The facilities schema (no rule of it depends on config)."""
    return FacilitiesModel.to_schema()
