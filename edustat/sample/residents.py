"""The population table: residents by age group per county, sized so enrolment ratios hit their targets."""

from __future__ import annotations

import polars as pl

from edustat.sample import profile
from edustat.sample.calibrate import split_total, target, total_for_share
from edustat.sample.population import Population
from edustat.sample.students import Students, stage_students
from schemas.tables import TABLES, staged_dtypes

_AGE_STAGES = {"age_3_5": ("preschool",), "age_15_17": ("senior", "vocational")}
"""Age groups whose unit totals are set from an enrolment-ratio target, with the stages they enrol in."""
_AGE_TARGETS = {"age_3_5": "preschool_ger", "age_15_17": "senior_ger"}


def population_table(population: Population, students: Students, year: int) -> pl.DataFrame:
    """Residents by age group: one row per county.

    A county's age groups follow the size of its primary cohorts; the groups that an enrolment-ratio
    target depends on are then scaled, within each unit, so the unit's totals give the target.
    """
    primary = dict.fromkeys((c.code for c in population.counties), 0)
    for school in population.schools:
        for plan in school.stages:
            if plan.stage == "primary":
                primary[school.county_code] += students[(school.school_code, plan.stage)]
    by_unit = stage_students(population, students)
    ages: dict[str, dict[str, int]] = {}
    for county in population.counties:
        cohort = primary[county.code] / county.primary_ratio / county.age_cohorts["age_6_11"]
        ages[county.code] = {column: round(cohort * size) for column, size in county.age_cohorts.items()}
    for unit, codes in population.units().items():
        for column, stages in _AGE_STAGES.items():
            enrolled = sum(by_unit[unit][s] for s in stages)
            total = total_for_share(enrolled, target(_AGE_TARGETS[column], year))
            parts = split_total(total, [ages[c][column] for c in codes])
            for code, part in zip(codes, parts, strict=True):
                ages[code][column] = part
    columns: dict[str, list] = {n: [] for n in TABLES["population"].column_names}
    for county in population.counties:
        columns["county_code"].append(county.code)
        for column in profile.AGE_COHORTS:
            columns[column].append(ages[county.code][column])
    dtypes = staged_dtypes("population")
    return pl.DataFrame(columns, schema={n: getattr(pl, dtypes[n]) for n in columns})


