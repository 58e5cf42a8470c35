"""经费 (funding): one row per school per stage."""

from __future__ import annotations

import pandera.polars as pa

from config import Rules
from schemas.base import SchoolStageModel


class FundingModel(SchoolStageModel):
    """Budget and public funds of one school and stage (万元): ≥ 0 (public funds within the budget is a check of config/checks.toml)."""

    budget_10k_yuan: float = pa.Field(ge=0)
    public_funds_10k_yuan: float = pa.Field(ge=0)


def funding_schema(rules: Rules) -> pa.DataFrameSchema:
    """The funding schema (no rule of it depends on config)."""
    return FundingModel.to_schema()
