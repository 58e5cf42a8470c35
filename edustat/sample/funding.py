"""Money: each unit's budget and public funds per stage and year, then split over its schools.

Amounts are kept as integer hundredths of 万元 (0.01 万元 = 100 元) so totals are exact.
"""

from __future__ import annotations

import random
from functools import lru_cache

import polars as pl

from config import STAGES, RegionTree
from edustat.sample import profile
from edustat.sample.calibrate import report_figures, rounds_to, split_total
from edustat.sample.population import PlannedSchool, population_for
from edustat.sample.students import stage_students, students_for

StageAmounts = dict[str, dict[str, int]]
"""Unit code → stage → hundredths of 万元."""


def _growth_ok(b19: dict[str, int], b20: dict[str, int], s19: dict[str, int], s20: dict[str, int]) -> bool:
    figures = report_figures()
    for stage in STAGES:
        if s19[stage] and s20[stage] and b19[stage]:
            growth = 100 * ((b20[stage] / s20[stage]) / (b19[stage] / s19[stage]) - 1)
            if not rounds_to(growth, figures[f"budget_per_student_{stage}_growth"]):
                return False
    total = 100 * (sum(b20.values()) / sum(b19.values()) - 1)
    return rounds_to(total, figures["budget_total_growth"])


def calibrated_budgets(
    s19: dict[str, int], s20: dict[str, int], rng: random.Random
) -> tuple[dict[str, int], dict[str, int]]:
    """Budgets per stage (hundredths of 万元) of the year before the report and the report year, for one unit.

    Every stage but vocational gets its base rate per student; the vocational base-year budget is
    solved so that the total grows by the report's figure while every stage's budget per student
    grows by its own figure.
    """
    figures = report_figures()
    spread = profile.BUDGET_RATE_SPREAD
    rates = {s: profile.BUDGET_PER_STUDENT_YUAN[s] * rng.uniform(1 - spread, 1 + spread) for s in STAGES}
    base = {s: round(rates[s] * s19[s] / 100) for s in STAGES}
    factor = {
        s: (1 + figures[f"budget_per_student_{s}_growth"] / 100) * s20[s] / s19[s] if s19[s] else 0.0 for s in STAGES
    }
    growth = 1 + figures["budget_total_growth"] / 100
    solved = "vocational"
    others = [s for s in STAGES if s != solved]
    lifted = sum(base[s] * factor[s] for s in others)
    before = sum(base[s] for s in others)
    if s19[solved] and factor[solved] > growth:
        amount = (growth * before - lifted) / (factor[solved] - growth)
        if amount > 0:
            base[solved] = round(amount)
    for nudge in (0, 1, -1, 2, -2, 3, -3):
        b19 = {**base, solved: base[solved] + nudge}
        b20 = {s: round(b19[s] * factor[s]) for s in STAGES}
        if _growth_ok(b19, b20, s19, s20):
            return b19, b20
    return base, {s: round(base[s] * factor[s]) for s in STAGES}


@lru_cache(maxsize=16)
def budget_totals(tree: RegionTree | None, seed: int, year: int) -> StageAmounts:
    """Unit → stage → budget of ``year`` in hundredths of 万元; the year before the report and the report year calibrated."""
    population = population_for(tree, seed)
    before, report = profile.REPORT_YEAR - 1, profile.REPORT_YEAR
    s19 = stage_students(population, students_for(tree, seed, before))
    s20 = stage_students(population, students_for(tree, seed, report))
    sy = stage_students(population, students_for(tree, seed, year))
    totals: StageAmounts = {}
    for unit in population.units():
        b19, b20 = calibrated_budgets(s19[unit], s20[unit], random.Random(f"{seed}|{unit}|budget"))
        if year == before:
            totals[unit] = b19
            continue
        if year == report:
            totals[unit] = b20
            continue
        anchor, amounts, students = (before, b19, s19[unit]) if year < before else (report, b20, s20[unit])
        scale = (1 + profile.BUDGET_GROWTH_DEFAULT) ** (year - anchor)
        totals[unit] = {
            s: round(amounts[s] / students[s] * scale * sy[unit][s]) if students[s] else 0 for s in STAGES
        }
    return totals


@lru_cache(maxsize=16)
def public_funds_totals(tree: RegionTree | None, seed: int, year: int) -> StageAmounts:
    """Unit → stage → public funds of ``year`` in hundredths of 万元; the report unit's report year exact."""
    population = population_for(tree, seed)
    sy = stage_students(population, students_for(tree, seed, year))
    budgets = budget_totals(tree, seed, year)
    figures = report_figures()
    scale = (1 + profile.PUBLIC_FUNDS_GROWTH) ** (year - profile.REPORT_YEAR)
    totals: StageAmounts = {}
    for unit in population.units():
        amounts = {}
        for stage in STAGES:
            if not sy[unit][stage]:
                amounts[stage] = 0
            elif unit == profile.REPORT_REGION_CODE:
                amounts[stage] = round(figures[f"public_funds_{stage}_10k_yuan"] * 100 * scale)
            else:
                amounts[stage] = round(profile.PUBLIC_FUNDS_PER_STUDENT_YUAN[stage] * sy[unit][stage] / 100 * scale)
            # Public funds are part of the budget; a small unit must not get more than it spends.
            amounts[stage] = min(amounts[stage], budgets[unit][stage] * 4 // 5)
        totals[unit] = amounts
    return totals


def _budget_weight(school: PlannedSchool, students: int, school_students: int) -> float:
    if school.ownership == "private":
        key = "other_private" if school.is_inclusive is None else ("inclusive" if school.is_inclusive else "private")
        share = profile.PRIVATE_BUDGET_SHARE[key]
    else:
        share = 1.0
    fixed = profile.FIXED_COST_STUDENTS * students / school_students if school_students else 0
    return share * school.budget_factor * (students + fixed)


def cap_to_budget(public: list[int], budget: list[int]) -> list[int]:
    """``public`` with any row above its budget brought down, the excess moved to rows with room."""
    public = public[:]
    excess = 0
    for i, (p, b) in enumerate(zip(public, budget, strict=True)):
        if p > b:
            excess += p - b
            public[i] = b
    for i in sorted(range(len(public)), key=lambda i: (-(budget[i] - public[i]), i)):
        if excess <= 0:
            break
        room = budget[i] - public[i]
        moved = min(room, excess)
        public[i] += moved
        excess -= moved
    return public


def funding_table(tree: RegionTree | None, seed: int, year: int) -> pl.DataFrame:
    """The funding table of ``year``: one row per school per stage, amounts in 万元 with two decimals."""
    population = population_for(tree, seed)
    students = students_for(tree, seed, year)
    budgets = budget_totals(tree, seed, year)
    publics = public_funds_totals(tree, seed, year)
    rows: dict[tuple[str, str], list[tuple[str, float, float]]] = {}
    for school in population.schools:
        total = sum(students[(school.school_code, p.stage)] for p in school.stages)
        rng = random.Random(f"{seed}|{school.school_code}|{year}|funding")
        for plan in school.stages:
            n = students[(school.school_code, plan.stage)]
            rows.setdefault((school.unit_code, plan.stage), []).append(
                (school.school_code, _budget_weight(school, n, total), rng.uniform(0.85, 1.15))
            )
    out_code, out_stage, out_budget, out_public = [], [], [], []
    for (unit, stage), members in rows.items():
        budget = split_total(budgets[unit][stage], [w for _, w, _ in members])
        public = split_total(publics[unit][stage], [b * noise for b, (_, _, noise) in zip(budget, members, strict=True)])
        public = cap_to_budget(public, budget)
        for (code, _, _), b, p in zip(members, budget, public, strict=True):
            out_code.append(code)
            out_stage.append(stage)
            out_budget.append(b / 100)
            out_public.append(p / 100)
    frame = pl.DataFrame(
        {"school_code": out_code, "stage": out_stage, "budget_10k_yuan": out_budget, "public_funds_10k_yuan": out_public},
        schema={"school_code": pl.String, "stage": pl.String, "budget_10k_yuan": pl.Float64, "public_funds_10k_yuan": pl.Float64},
    )
    return _in_stage_order(frame)


def _in_stage_order(frame: pl.DataFrame) -> pl.DataFrame:
    order = pl.col("stage").replace_strict({s: i for i, s in enumerate(STAGES)}, return_dtype=pl.Int64)
    return frame.sort("school_code", order)
