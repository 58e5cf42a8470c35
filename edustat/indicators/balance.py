"""县域义务教育优质均衡: per-school measures, the county's weighted coefficients of variation and pass figures.

County level only; stages, weights, standards and limits come from ``rules.balance``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from config import Catalogue, Indicator, IndicatorKind, Rules
from edustat.indicators.exact_sums import DECIMALS, stable_round
from edustat.indicators.school_attributes import SCHOOL_ATTRIBUTES, with_school
from edustat.indicators.value_frame import VALUE_SCHEMA
from schemas.staged import StagedTables

PERCENT = 100.0
"""Percentages are stored as 0–100 (contract §4)."""


@dataclass(frozen=True)
class Measure:
    """How one balance measure is computed from a school's rows: factor × source [× facility share] / students."""

    source: str
    factor: float
    is_shared_facility: bool


MEASURES: dict[str, Measure] = {
    "teachers_above_degree_per_100_students": Measure("teachers_above_degree", 100.0, False),
    "backbone_teachers_per_100_students": Measure("backbone_teachers", 100.0, False),
    "pe_art_teachers_per_100_students": Measure("pe_art_teachers", 100.0, False),
    "teaching_area_per_student": Measure("teaching_area_m2", 1.0, True),
    "sports_area_per_student": Measure("sports_area_m2", 1.0, True),
    # equipment is reported in 万元, the standard in 元.
    "equipment_value_per_student": Measure("equipment_value_10k_yuan", 10000.0, True),
    "multimedia_classrooms_per_100_students": Measure("multimedia_classrooms", 100.0, True),
}
"""The formulas behind the measure names of config/rules.toml (contract §4 table)."""

STAFF_SOURCES = sorted({m.source for m in MEASURES.values() if not m.is_shared_facility})
FACILITY_SOURCES = sorted({m.source for m in MEASURES.values() if m.is_shared_facility})


def _measures(rules: Rules) -> tuple[str, ...]:
    unknown = [m for m in rules.balance.measures if m not in MEASURES]
    if unknown:
        raise ValueError(f"balance measures without a formula in edustat.indicators.balance: {unknown}")
    return rules.balance.measures


def _listed(catalogue: Catalogue, rules: Rules) -> list[Indicator]:
    """The catalogue's balance entries this module can compute under ``rules``: a stage of rules.balance, and a CV's measure."""
    return [
        i
        for i in catalogue.indicators
        if i.kind == "balance"
        and i.stage in rules.balance.stages
        and (i.statistic != "cv" or i.measure in _measures(rules))
        and i.statistic is not None
    ]


def codes(catalogue: Catalogue, rules: Rules) -> dict[str, IndicatorKind]:
    """The balance codes of the catalogue this module computes: each entry names its statistic, stage and measure."""
    return {i.code: "balance" for i in _listed(catalogue, rules)}


def _code_frame(catalogue: Catalogue, rules: Rules) -> pl.LazyFrame:
    """One row per balance code of the catalogue: statistic, stage, measure (NULL but for a CV) and indicator_code."""
    rows = [(i.statistic, i.stage, i.measure, i.code) for i in _listed(catalogue, rules)]
    schema = {"statistic": pl.String, "stage": pl.String, "measure": pl.String, "indicator_code": pl.String}
    return pl.LazyFrame(rows, schema=schema, orient="row")


def balance_school_values(staged: StagedTables, rules: Rules) -> pl.DataFrame:
    """One row per school taking part per balance stage: students, facility share, the seven measures, standards met.

    A school takes part in a stage when it has students there, except teaching points with fewer
    pupils in the stage than the configured minimum. Teachers come from the staff row of that
    stage (none → 0); facilities (none → 0) are shared among the school's stages in proportion to
    students × stage weight. A measure meets its standard when its value, rounded to DECIMALS, is at
    least the standard; the school passes when it meets at least min_standards_met standards.
    """
    balance = rules.balance
    measures = _measures(rules)
    enrollment = with_school(staged.enrollment.lazy(), staged).select(*SCHOOL_ATTRIBUTES, "stage", "students")
    weight = pl.col("stage").replace_strict(balance.facility_weights, default=None, return_dtype=pl.Float64)
    weighted = pl.col("students").cast(pl.Float64) * weight
    staff = staged.staff.lazy().select("school_code", "stage", *STAFF_SOURCES)
    facilities = staged.facilities.lazy().select("school_code", *FACILITY_SOURCES)
    is_small_teaching_point = (pl.col("school_type_code") == balance.teaching_point_type) & (
        pl.col("students") < balance.teaching_point_min_students
    )
    frame = (
        enrollment.with_columns((weighted / weighted.sort().sum().over("school_code")).alias("facility_share"))
        .filter(pl.col("stage").is_in(balance.stages) & (pl.col("students") > 0) & ~is_small_teaching_point)
        .join(staff, on=["school_code", "stage"], how="left")
        .join(facilities, on="school_code", how="left")
        .with_columns(pl.col(*STAFF_SOURCES, *FACILITY_SOURCES).cast(pl.Float64).fill_null(0.0))
    )
    students = pl.col("students").cast(pl.Float64)
    values = []
    for name in measures:
        measure = MEASURES[name]
        amount = pl.col(measure.source)
        if measure.is_shared_facility:
            amount = amount * pl.col("facility_share")
        values.append((measure.factor * amount / students).alias(name))
    met = []
    for name in measures:
        standard = pl.col("stage").replace_strict(
            {stage: balance.standards[stage][name] for stage in balance.stages}, return_dtype=pl.Float64
        )
        met.append((pl.col(name).round(DECIMALS) >= standard).cast(pl.Int64))
    return (
        frame.with_columns(values)
        .with_columns(pl.sum_horizontal(met).alias("standards_met"))
        .with_columns((pl.col("standards_met") >= balance.min_standards_met).alias("is_passing"))
        .select(
            "county_code",
            "school_code",
            "school_type_code",
            "stage",
            "students",
            "facility_share",
            *measures,
            "standards_met",
            "is_passing",
        )
        .sort("county_code", "stage", "school_code")
        .collect()
    )


def weighted_cv(school_values: pl.DataFrame | pl.LazyFrame, measures: Iterable[str]) -> pl.LazyFrame:
    """One row per county per stage per measure with schools: P, X̄ = Σ PᵢXᵢ / P, S and CV = S / X̄ (NULL when X̄ = 0).

    S = √(Σ (Pᵢ/P)(Xᵢ − X̄)²), Pᵢ the school's students in the stage.
    """
    keys = ["county_code", "stage", "measure"]
    weight = pl.col("students").cast(pl.Float64)
    # Float sums are taken over sorted terms so that the result does not depend on row or thread order.
    mean = (weight * pl.col("x")).sort().sum().over(keys) / weight.sum().over(keys)
    return (
        school_values.lazy()
        .unpivot(index=["county_code", "stage", "students"], on=list(measures), variable_name="measure", value_name="x")
        .with_columns(mean.alias("mean"))
        # two passes (mean first, then squared deviations) keep S accurate when values are close together
        .group_by(keys)
        .agg(
            weight.sum().alias("students_total"),
            pl.col("mean").first(),
            ((weight * (pl.col("x") - pl.col("mean")) ** 2).sort().sum() / weight.sum()).sqrt().alias("sd"),
        )
        .with_columns(pl.when(pl.col("mean") != 0).then(pl.col("sd") / pl.col("mean")).alias("cv"))
    )


def balance_values(staged: StagedTables, rules: Rules, county_codes: Iterable[str], catalogue: Catalogue) -> pl.DataFrame:
    """One row per county of ``county_codes`` per balance code of the catalogue; region_level "county".

    statistic cv (of a measure and stage): value CV, numerator S, denominator X̄ (all NULL without schools).
    cv_pass: 1 when every CV of the stage (every measure of rules, rounded to DECIMALS) is within the
    stage's limit, 0 when one is not, NULL when any CV is NULL; numerator = CVs within the limit,
    denominator = number of measures. school_pass_share: 100 × passing / taking part (NULL with none
    taking part); numerator and denominator are those counts. Numbers rounded to DECIMALS.
    """
    balance = rules.balance
    measures = _measures(rules)
    school_values = balance_school_values(staged, rules)
    counties = pl.LazyFrame({"county_code": sorted(set(county_codes))}, schema={"county_code": pl.String})
    stages = pl.LazyFrame({"stage": list(balance.stages)}, schema={"stage": pl.String})
    measure_frame = pl.LazyFrame({"measure": list(measures)}, schema={"measure": pl.String})

    cv = (
        counties.join(stages, how="cross")
        .join(measure_frame, how="cross")
        .join(weighted_cv(school_values, measures), on=["county_code", "stage", "measure"], how="left")
    )
    listed = _code_frame(catalogue, rules)
    statistic = pl.col("statistic")
    cv_rows = cv.join(listed.filter(statistic == "cv"), on=["stage", "measure"]).select(
        pl.col("county_code").alias("region_code"),
        pl.lit("county").alias("region_level"),
        "indicator_code",
        pl.col("cv").alias("value"),
        pl.col("sd").alias("numerator"),
        pl.col("mean").alias("denominator"),
    )

    limit = pl.col("stage").replace_strict(balance.cv_limit, return_dtype=pl.Float64)
    pass_rows = (
        cv.group_by("county_code", "stage")
        .agg(
            pl.col("cv").is_null().sum().alias("missing"),
            (stable_round(pl.col("cv")) <= limit).cast(pl.Int64).sum().alias("within"),
        )
        .join(listed.filter(statistic == "cv_pass").drop("measure"), on="stage")
        .select(
            pl.col("county_code").alias("region_code"),
            pl.lit("county").alias("region_level"),
            "indicator_code",
            pl.when(pl.col("missing") == 0)
            .then((pl.col("within") == len(measures)).cast(pl.Float64))
            .alias("value"),
            pl.col("within").cast(pl.Float64).alias("numerator"),
            pl.lit(float(len(measures))).alias("denominator"),
        )
    )

    passing = school_values.lazy().group_by("county_code", "stage").agg(
        pl.col("is_passing").cast(pl.Int64).sum().alias("passing"), pl.len().alias("taking_part")
    )
    share_rows = (
        counties.join(stages, how="cross")
        .join(passing, on=["county_code", "stage"], how="left")
        .with_columns(pl.col("passing", "taking_part").fill_null(0).cast(pl.Float64))
        .join(listed.filter(statistic == "school_pass_share").drop("measure"), on="stage")
        .select(
            pl.col("county_code").alias("region_code"),
            pl.lit("county").alias("region_level"),
            "indicator_code",
            pl.when(pl.col("taking_part") > 0)
            .then(PERCENT * pl.col("passing") / pl.col("taking_part"))
            .alias("value"),
            pl.col("passing").alias("numerator"),
            pl.col("taking_part").alias("denominator"),
        )
    )
    typed = [
        frame.select(pl.col(name).cast(dtype) for name, dtype in VALUE_SCHEMA.items())
        for frame in (cv_rows, pass_rows, share_rows)
    ]
    return (
        pl.concat(typed)
        .with_columns(stable_round(pl.col(name)) for name in ("value", "numerator", "denominator"))
        .sort("region_code", "indicator_code")
        .collect()
    )
