"""Funding indicators: total budget, budget per student per stage, public funds per stage and in total."""

from __future__ import annotations

import polars as pl

from config.models import IndicatorKind, Rules
from edustat.indicators.common import per_school_stage, school_rows, with_school
from edustat.staged import StagedTables


def codes(rules: Rules) -> dict[str, IndicatorKind]:
    """Indicator codes this module produces, with their kind."""
    return (
        {"budget_total_10k_yuan": "sum"}
        | {f"budget_per_student_{stage}": "ratio" for stage in rules.stages}
        | {f"public_funds_{stage}_10k_yuan": "sum" for stage in rules.stages}
        | {"public_funds_total_10k_yuan": "sum"}
    )


def contributions(staged: StagedTables, rules: Rules) -> pl.LazyFrame:
    """Contribution rows: one per school and stage (per-stage codes), one per school with funding rows (totals)."""
    stages = list(rules.stages)
    funding = with_school(staged.funding.lazy().filter(pl.col("stage").is_in(stages)), staged)
    # Budget per student needs both sides: a stage with pupils but no funding row lowers the ratio.
    per_stage = per_school_stage(staged, ("funding", "budget_10k_yuan"), ("enrollment", "students"), stages)
    totals = funding.group_by("county_code", "school_code", maintain_order=True).agg(
        pl.col("budget_10k_yuan", "public_funds_10k_yuan").sum()
    )
    return pl.concat(
        [
            school_rows(totals, "budget_total_10k_yuan", pl.col("budget_10k_yuan")),
            school_rows(
                per_stage,
                pl.lit("budget_per_student_") + pl.col("stage"),
                pl.col("budget_10k_yuan").fill_null(0),
                pl.col("students").fill_null(0),
            ),
            school_rows(
                funding,
                pl.lit("public_funds_") + pl.col("stage") + pl.lit("_10k_yuan"),
                pl.col("public_funds_10k_yuan"),
            ),
            school_rows(totals, "public_funds_total_10k_yuan", pl.col("public_funds_10k_yuan")),
        ]
    )
