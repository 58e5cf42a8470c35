"""Students of every school and stage in any year: the base year's sizes drifting year by year."""

from __future__ import annotations

import math
import random
from functools import lru_cache

from config import STAGES, RegionTree
from edustat.sample import profile
from edustat.sample.calibrate import rounds_to, split_total, target, total_for_share
from edustat.sample.population import Population, population_for

Students = dict[tuple[str, str], int]
"""(school_code, stage) → students."""


def _drift(population: Population, previous: Students, year: int, forward: bool) -> Students:
    """``previous`` moved one year (to ``year``), each school and stage by its trend and its own noise."""
    moved: Students = {}
    for school in population.schools:
        for plan in school.stages:
            key = (school.school_code, plan.stage)
            rng = random.Random(f"{population.seed}|{school.school_code}|{plan.stage}|drift|{year}")
            factor = (1 + profile.STAGE_TREND[plan.stage]) * (1 + rng.uniform(-profile.SCHOOL_DRIFT, profile.SCHOOL_DRIFT))
            old = previous[key]
            new = round(old * factor if forward else old / factor)
            cap = profile.STUDENTS_CHANGE_CAP
            low, high = max(1, math.ceil(old * (1 - cap))), max(1, math.floor(old * (1 + cap)))
            moved[key] = min(max(new, low, min(old, profile.MIN_STUDENTS)), high)
    return moved


def _preschool_mix(population: Population, students: Students, year: int) -> Students:
    """``students`` with each unit's private kindergartens resized so the public share and inclusive coverage hit target."""
    fixed = dict(students)
    share = target("preschool_public_share", year)
    coverage = target("preschool_inclusive_coverage", year)
    for unit in population.units():
        public = 0
        groups: dict[bool, list[tuple[str, str]]] = {True: [], False: []}
        for school in population.unit_schools(unit):
            for plan in school.stages:
                if plan.stage != "preschool":
                    continue
                key = (school.school_code, plan.stage)
                if school.ownership == "public":
                    public += students[key]
                elif school.is_inclusive is not None:
                    groups[school.is_inclusive].append(key)
        if public == 0 or not groups[True] or not groups[False]:
            continue
        total = total_for_share(public, share)
        non_inclusive = round(total * (100 - coverage) / 100)
        for step in (0, 1, -1, 2, -2):
            if rounds_to(100 * (total - non_inclusive - step) / total, coverage):
                non_inclusive += step
                break
        targets = {True: total - public - non_inclusive, False: non_inclusive}
        is_exact = year in (profile.BASE_YEAR, profile.REPORT_YEAR)
        for is_inclusive, keys in groups.items():
            current = sum(students[k] for k in keys)
            wanted = targets[is_inclusive]
            if not is_exact:
                # Off the calibrated years the mix only moves toward its target, so no school jumps.
                step = profile.MIX_STEP_CAP
                wanted = min(max(wanted, round(current * (1 - step))), round(current * (1 + step)))
            parts = split_total(wanted, [students[k] for k in keys])
            fixed.update(zip(keys, parts, strict=True))
    return fixed


def stage_students(population: Population, students: Students) -> dict[str, dict[str, int]]:
    """Unit code → stage → students: one entry per unit and stage (0 when the unit has none)."""
    totals = {unit: dict.fromkeys(STAGES, 0) for unit in population.units()}
    for school in population.schools:
        for plan in school.stages:
            totals[school.unit_code][plan.stage] += students[(school.school_code, plan.stage)]
    return totals


def base_students(population: Population) -> Students:
    """Students of the base year: the planned sizes, private kindergartens resized to the base year's mix."""
    planned = {(s.school_code, p.stage): p.students for s in population.schools for p in s.stages}
    return _preschool_mix(population, planned, profile.BASE_YEAR)


@lru_cache(maxsize=16)
def students_for(tree: RegionTree | None, seed: int, year: int) -> Students:
    """Students of every school and stage in ``year`` (cached; each year follows from the one nearer the base)."""
    population = population_for(tree, seed)
    if year == profile.BASE_YEAR:
        return base_students(population)
    forward = year > profile.BASE_YEAR
    previous = students_for(tree, seed, year - 1 if forward else year + 1)
    return _preschool_mix(population, _drift(population, previous, year, forward), year)
