"""经费 (funding): one row per school per stage."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from config.models import Rules
from schemas.base import SchoolStageModel, holds


class FundingModel(SchoolStageModel):
    """Budget and public funds of one school and stage (万元): ≥ 0, public funds within the budget."""

    budget_10k_yuan: float = pa.Field(ge=0)
    public_funds_10k_yuan: float = pa.Field(ge=0)

    @pa.check("public_funds_10k_yuan", name="public_funds_exceed_budget")
    def public_funds_exceed_budget(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """One boolean per row: public_funds_10k_yuan ≤ budget_10k_yuan."""
        rule = pl.col("public_funds_10k_yuan") <= pl.col("budget_10k_yuan")
        return holds(data, rule, "public_funds_10k_yuan", "budget_10k_yuan")


def funding_schema(rules: Rules) -> pa.DataFrameSchema:
    """The funding schema (no rule of it depends on config)."""
    return FundingModel.to_schema()
