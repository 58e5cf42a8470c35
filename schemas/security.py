"""安保 (security): one row per school."""

from __future__ import annotations

import pandera.polars as pa

from config import Rules
from schemas.base import SchoolRowModel


class SecurityModel(SchoolRowModel):
    """Guards (≥ 0) and four yes/no answers of one school."""

    guards: int = pa.Field(ge=0)
    has_video: bool
    has_alarm: bool
    is_closed_campus: bool
    has_police_post: bool


def security_schema(rules: Rules) -> pa.DataFrameSchema:
    """The security schema (no rule of it depends on config)."""
    return SecurityModel.to_schema()
