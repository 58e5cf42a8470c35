"""The security table: which schools employ guards, and their safety equipment."""

from __future__ import annotations

import math
import random

import polars as pl

from config import Rules
from edustat.sample import profile
from edustat.sample.calibrate import count_for_rate, target
from edustat.sample.population import PlannedSchool, Population
from edustat.sample.students import Students
from schemas.rules import load_rules
from schemas.tables import TABLES, staged_dtypes


def _guard_group(school: PlannedSchool, rules: Rules) -> str | None:
    """The report's guard-rate indicator that counts ``school``, or None for schools no rate counts."""
    groups = rules.school_groups
    if school.school_type_code in groups.primary_and_secondary:
        return "guard_rate_schools"
    if school.school_type_code in groups.kindergartens:
        return f"guard_rate_kindergartens_{school.area}"
    if school.school_type_code in groups.teaching_points:
        return "guard_rate_teaching_points"
    return None


def guards_required(people: int, rules: Rules) -> int:
    """Guards a school of ``people`` students and staff must have under 公治〔2015〕168号."""
    standard = rules.guard_standard
    if people < standard.small_school_below:
        return standard.small_school_guards
    if people <= standard.medium_school_up_to:
        return standard.medium_school_guards
    return standard.medium_school_guards + math.ceil((people - standard.medium_school_up_to) / standard.extra_guard_per)


def _with_guards(population: Population, year: int, rules: Rules) -> set[str]:
    """Codes of the schools that employ at least one guard in ``year``: each group's top schools by propensity."""
    members: dict[tuple[str, str], list[PlannedSchool]] = {}
    chosen: set[str] = set()
    for school in population.schools:
        group = _guard_group(school, rules)
        if group is None:
            chosen.add(school.school_code)
        else:
            members.setdefault((school.unit_code, group), []).append(school)
    for (_, group), schools in members.items():
        ranked = sorted(schools, key=lambda s: (-s.propensity, s.school_code))
        chosen.update(s.school_code for s in ranked[: count_for_rate(len(ranked), target(group, year))])
    return chosen


def _not_closed(population: Population, year: int) -> set[str]:
    """Codes of the few schools (teaching points first) not yet under closed management in ``year``."""
    behind = max(0, profile.REPORT_YEAR - year)
    share = 0.0 if year > profile.REPORT_YEAR else profile.NOT_CLOSED_SHARE * (1 + 2 * behind)
    codes: set[str] = set()
    for unit in population.units():
        schools = population.unit_schools(unit)
        ranked = sorted(schools, key=lambda s: (s.kind != "teaching_point", s.propensity, s.school_code))
        codes.update(s.school_code for s in ranked[: round(len(schools) * share)])
    return codes


def security_table(population: Population, students: Students, staff: pl.DataFrame, year: int) -> pl.DataFrame:
    """Guards and safety equipment: one row per school."""
    rules = load_rules()
    staff_of = dict(staff.group_by("school_code").agg(pl.col("staff").sum()).iter_rows())
    guarded = _with_guards(population, year, rules)
    not_closed = _not_closed(population, year)
    columns: dict[str, list] = {n: [] for n in TABLES["security"].column_names}
    for school in population.schools:
        rng = random.Random(f"{population.seed}|{school.school_code}|{year}|security")
        people = sum(students[(school.school_code, p.stage)] for p in school.stages) + staff_of[school.school_code]
        required = guards_required(people, rules)
        guards = 0
        if school.school_code in guarded:
            guards = required if rng.random() < 0.7 else max(1, required - rng.randint(1, 2))
        is_urban_kindergarten = school.school_type_code in rules.school_groups.kindergartens and school.area == "urban"
        late = (profile.REPORT_YEAR - year) * 0.03
        values = {
            "school_code": school.school_code,
            "guards": guards,
            "has_video": school.propensity + 0.25 > late + rng.uniform(0.0, 0.3),
            "has_alarm": is_urban_kindergarten or school.propensity + 0.15 > late + rng.uniform(0.0, 0.3),
            "is_closed_campus": school.school_code not in not_closed,
            "has_police_post": rng.random() < 0.35 + 0.6 * min(1.0, people / 800),
        }
        for name, value in values.items():
            columns[name].append(value)
    dtypes = staged_dtypes("security")
    return pl.DataFrame(columns, schema={n: getattr(pl, dtypes[n]) for n in columns})


