"""Derived columns a catalogue term may read (``schemas.tables.DERIVED_COLUMNS``): worked out from the year's rows and rules.toml."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from config import GuardStandard, Rules
from schemas.staged import StagedTables


def required_guards(people: pl.Expr, standard: GuardStandard) -> pl.Expr:
    """Guards a school with ``people`` students and staff must have (公治〔2015〕168号), as Int64."""
    above = people - standard.medium_school_up_to
    # Integer ceiling: every started block of extra_guard_per people above the medium size adds a guard.
    extra_blocks = (above + standard.extra_guard_per - 1) // standard.extra_guard_per
    return (
        pl.when(people < standard.small_school_below)
        .then(pl.lit(standard.small_school_guards, dtype=pl.Int64))
        .when(people <= standard.medium_school_up_to)
        .then(pl.lit(standard.medium_school_guards, dtype=pl.Int64))
        .otherwise(standard.medium_school_guards + extra_blocks)
        .cast(pl.Int64)
    )


def _required_guards_by_school(staged: StagedTables, rules: Rules) -> pl.LazyFrame:
    """One row per school with enrollment or staff rows: the guards its students and staff of every stage require."""
    people = pl.concat(
        [
            staged.enrollment.lazy().select("school_code", pl.col("students").alias("people")),
            staged.staff.lazy().select("school_code", pl.col("staff").alias("people")),
        ]
    ).group_by("school_code").agg(pl.col("people").fill_null(0).sum())
    return people.select("school_code", required_guards(pl.col("people"), rules.guard_standard).alias("required_guards"))


def _required_guards_of_nobody(rules: Rules) -> pl.Expr:
    """A school without students or staff rows has 0 people."""
    return required_guards(pl.lit(0, dtype=pl.Int64), rules.guard_standard)


DERIVED: dict[str, tuple[Callable[[StagedTables, Rules], pl.LazyFrame], Callable[[Rules], pl.Expr]]] = {
    "required_guards": (_required_guards_by_school, _required_guards_of_nobody),
}
"""Each derived column: its values by school, and its value for a school those leave out."""


def with_derived(frame: pl.LazyFrame, columns: list[str], staged: StagedTables, rules: Rules) -> pl.LazyFrame:
    """``frame`` (keyed by school_code) with the derived ``columns`` added: one row per row of ``frame``."""
    for column in columns:
        by_school, default = DERIVED[column]
        frame = frame.join(by_school(staged, rules), on="school_code", how="left").with_columns(
            pl.col(column).fill_null(default(rules))
        )
    return frame
