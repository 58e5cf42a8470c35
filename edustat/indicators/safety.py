"""Safety indicators: guard rates by school group and area, guard standard, closed campus, video, alarms."""

from __future__ import annotations

import polars as pl

from config.models import GuardStandard, IndicatorKind, Rules
from edustat.indicators.common import area_expr, counted_schools, in_group, school_rows
from edustat.staged import StagedTables

KINDERGARTEN_GUARD_PREFIX = "guard_rate_kindergartens_"


def _areas(rules: Rules) -> list[str]:
    """Areas of the urban/rural mapping, in first-seen order (urban, town, rural)."""
    return list(dict.fromkeys(rules.urban_rural.values()))


def codes(rules: Rules) -> dict[str, IndicatorKind]:
    """Indicator codes this module produces, with their kind."""
    return (
        {"guard_rate_schools": "ratio"}
        | {f"{KINDERGARTEN_GUARD_PREFIX}{area}": "ratio" for area in _areas(rules)}
        | {
            "guard_rate_teaching_points": "ratio",
            "guard_standard_rate": "ratio",
            "closed_campus_rate": "ratio",
            "video_rate": "ratio",
            "alarm_rate_kindergartens_urban": "ratio",
        }
    )


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


def school_security(staged: StagedTables, rules: Rules) -> pl.LazyFrame:
    """One row per counted school: type, area, security answers (no security row → 0 guards, all "no"),
    students + staff of all stages (people) and the guards the standard requires."""
    people = pl.concat(
        [
            staged.enrollment.lazy().select("school_code", pl.col("students").alias("people")),
            staged.staff.lazy().select("school_code", pl.col("staff").alias("people")),
        ]
    ).group_by("school_code").agg(pl.col("people").fill_null(0).sum())
    security = staged.security.lazy().select("school_code", "guards", "has_video", "has_alarm", "is_closed_campus")
    return (
        counted_schools(staged)
        .join(security, on="school_code", how="left")
        .join(people, on="school_code", how="left")
        .with_columns(
            pl.col("guards").fill_null(0),
            pl.col("has_video", "has_alarm", "is_closed_campus").fill_null(False),
            pl.col("people").fill_null(0),
            area_expr(rules.urban_rural).alias("area"),
        )
        .with_columns(required_guards(pl.col("people"), rules.guard_standard).alias("required_guards"))
    )


def contributions(staged: StagedTables, rules: Rules) -> pl.LazyFrame:
    """Contribution rows: one per counted school of each indicator's school group (numerator 1/0, denominator 1)."""
    schools = school_security(staged, rules)
    groups = rules.school_groups
    has_guard = pl.col("guards") >= 1
    kindergartens = schools.filter(in_group(groups.kindergartens))

    def rate(frame: pl.LazyFrame, code: str | pl.Expr, condition: pl.Expr) -> pl.LazyFrame:
        return school_rows(frame, code, condition.cast(pl.Int64), pl.lit(1))

    return pl.concat(
        [
            rate(schools.filter(in_group(groups.primary_and_secondary)), "guard_rate_schools", has_guard),
            rate(
                kindergartens.filter(pl.col("area").is_not_null()),
                pl.lit(KINDERGARTEN_GUARD_PREFIX) + pl.col("area"),
                has_guard,
            ),
            rate(schools.filter(in_group(groups.teaching_points)), "guard_rate_teaching_points", has_guard),
            rate(schools, "guard_standard_rate", pl.col("guards") >= pl.col("required_guards")),
            rate(schools, "closed_campus_rate", pl.col("is_closed_campus")),
            rate(schools, "video_rate", pl.col("has_video")),
            rate(
                kindergartens.filter(pl.col("area") == "urban"), "alarm_rate_kindergartens_urban", pl.col("has_alarm")
            ),
        ]
    )
