"""All contribution rows of a year: every domain's rows in one frame, the drill-down behind each value."""

from __future__ import annotations

import polars as pl

from config.models import IndicatorKind, Rules
from edustat.indicators import classes, funding, informatization, preschool, safety, senior_stage, teachers
from edustat.indicators.common import CONTRIBUTION_SCHEMA
from edustat.staged import StagedTables

DOMAINS = (preschool, classes, senior_stage, teachers, funding, safety, informatization)
"""Modules that each expose ``codes(rules)`` and ``contributions(staged, rules)``."""


def contribution_codes(rules: Rules) -> dict[str, IndicatorKind]:
    """Every indicator code computed from contributions, with its kind."""
    produced: dict[str, IndicatorKind] = {}
    for domain in DOMAINS:
        for code, kind in domain.codes(rules).items():
            if code in produced:
                raise ValueError(f"indicator {code} is produced by two domains")
            produced[code] = kind
    return produced


def contributions(staged: StagedTables, rules: Rules) -> pl.LazyFrame:
    """One row per school (or per county for population rows) per indicator.

    Rows come in no particular order: they are summed exactly (fixed point), so no value depends on
    it; a trace sorts the rows it shows.
    """
    frames = [domain.contributions(staged, rules).select(list(CONTRIBUTION_SCHEMA)) for domain in DOMAINS]
    return pl.concat(frames)
