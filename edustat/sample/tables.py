"""The yearly tables built from the school population: registry, enrolment, staff and facilities.

Security, residents and money have their own modules; ``year_tables`` puts all but money together.
"""

from __future__ import annotations

import math
import random

import polars as pl

from config import RegionTree
from edustat.sample import profile
from edustat.sample.calibrate import report_figures, rounds_to, target
from edustat.sample.population import PlannedSchool, Population, population_for
from edustat.sample.residents import population_table
from edustat.sample.security import security_table
from edustat.sample.students import Students, students_for
from schemas.rules import load_rules
from schemas.tables import TABLES, staged_dtypes


def _frame(table: str, columns: dict[str, list]) -> pl.DataFrame:
    """A frame of ``table`` typed as staged (contract columns only, contract order)."""
    dtypes = staged_dtypes(table)
    names = TABLES[table].column_names
    return pl.DataFrame({n: columns[n] for n in names}, schema={n: getattr(pl, dtypes[n]) for n in names})


def _rng(population: Population, school: PlannedSchool | str, year: int | str, table: str) -> random.Random:
    code = school if isinstance(school, str) else school.school_code
    return random.Random(f"{population.seed}|{code}|{year}|{table}")


def schools_table(population: Population) -> pl.DataFrame:
    """The registry: one row per school (the same every year)."""
    columns: dict[str, list] = {n: [] for n in TABLES["schools"].column_names}
    for s in population.schools:
        for name, value in (
            ("school_code", s.school_code), ("school_name", s.school_name), ("county_code", s.county_code),
            ("school_type_code", s.school_type_code), ("urban_rural_code", s.urban_rural_code),
            ("ownership", s.ownership), ("is_inclusive", s.is_inclusive),
        ):
            columns[name].append(value)
    return _frame("schools", columns)


def _classes(school: PlannedSchool, stage: str, class_size: float, students: int, rng: random.Random) -> int:
    if school.kind == "teaching_point":
        mixed_grades = 1 if stage == "preschool" else rng.randint(*profile.TEACHING_POINT_CLASSES)
        return min(students, max(mixed_grades, math.ceil(students / profile.TEACHING_POINT_CLASS_SIZE)))
    return max(1, math.ceil(students / (class_size * rng.uniform(0.97, 1.03))))


def _large_classes(stage: str, classes: int, students: int, rng: random.Random) -> int:
    """Classes of 56–65 pupils: only where the average class is already crowded."""
    average = students / classes
    if stage in ("primary", "junior") and average >= 45 and classes >= 6 and rng.random() < 0.35:
        return rng.randint(1, 2)
    if stage == "senior" and average >= 50:
        return rng.randint(1, min(3, classes))
    return 0


def enrollment_table(population: Population, students: Students, year: int) -> pl.DataFrame:
    """Students, entrants and classes: one row per school per stage."""
    columns: dict[str, list] = {n: [] for n in TABLES["enrollment"].column_names}
    for school in population.schools:
        rng = _rng(population, school, year, "enrollment")
        for plan in school.stages:
            n = students[(school.school_code, plan.stage)]
            classes = _classes(school, plan.stage, plan.class_size, n, rng)
            entrants = min(n, round(n * profile.ENTRANT_SHARE[plan.stage] * rng.uniform(0.9, 1.1)))
            for name, value in (
                ("school_code", school.school_code), ("stage", plan.stage), ("students", n), ("entrants", entrants),
                ("classes", classes), ("classes_56_65", _large_classes(plan.stage, classes, n, rng)), ("classes_66_plus", 0),
            ):
                columns[name].append(value)
    return _trim_large_classes(population, _frame("enrollment", columns))


def _trim_large_classes(population: Population, frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with large primary and junior classes cut back wherever a unit's share reaches the limit."""
    limit = min(profile.LARGE_CLASS_LIMIT, report_figures().get("large_class_share_below", 100.0))
    unit_of = {s.school_code: s.unit_code for s in population.schools}
    compulsory = frame.with_row_index("_row").filter(pl.col("stage").is_in(["primary", "junior"]))
    large = frame["classes_56_65"].to_list()
    for unit in population.units():
        rows = compulsory.filter(pl.col("school_code").replace_strict(unit_of) == unit)
        classes = rows["classes"].sum()
        excess = rows["classes_56_65"].sum() - math.floor(classes * limit / 100)
        for row in rows.filter(pl.col("classes_56_65") > 0)["_row"].to_list():
            if excess <= 0:
                break
            cut = min(large[row], excess)
            large[row] -= cut
            excess -= cut
    return frame.with_columns(pl.Series("classes_56_65", large, dtype=pl.Int64))


def staff_table(population: Population, students: Students, year: int) -> pl.DataFrame:
    """Staff and teacher counts: one row per school per stage; every sub-count within the teachers."""
    columns: dict[str, list] = {n: [] for n in TABLES["staff"].column_names}
    for school in population.schools:
        rng = _rng(population, school, year, "staff")
        for plan in school.stages:
            n = students[(school.school_code, plan.stage)]
            teachers = max(1, round(n / (plan.pupils_per_teacher * rng.uniform(0.97, 1.03))))
            short = 1 if teachers >= 3 and rng.random() < 0.01 else 0
            values = {
                "school_code": school.school_code,
                "stage": plan.stage,
                "staff": teachers + round(teachers * rng.uniform(0.05, 0.25)),
                "teachers": teachers,
                "teachers_above_degree": round(teachers * rng.uniform(0.55, 0.92)),
                "teachers_senior_title": round(teachers * rng.uniform(0.3, 0.6)),
                "backbone_teachers": round(teachers * rng.uniform(0.1, 0.28)),
                "pe_art_teachers": round(teachers * rng.uniform(0.1, 0.2)),
                "putonghua_qualified": teachers - short,
                "new_teachers": round(teachers * rng.uniform(0.0, 0.08)),
                "training_sessions": round(teachers * rng.uniform(1.0, 3.5)),
            }
            for name, value in values.items():
                columns[name].append(value)
    frame = _frame("staff", columns)
    if not rounds_to(100 * frame["putonghua_qualified"].sum() / frame["teachers"].sum(), target("putonghua_teacher_share", year)):
        frame = frame.with_columns(putonghua_qualified=pl.col("teachers"))
    return frame


def facilities_table(population: Population, year: int) -> pl.DataFrame:
    """Buildings, equipment, computers, books and classrooms: one row per school; slowly growing year by year."""
    rules = load_rules()
    with_multimedia = rules.school_groups.primary_and_secondary_with_teaching_points
    columns: dict[str, list] = {n: [] for n in TABLES["facilities"].column_names}
    for school in population.schools:
        rng = _rng(population, school, "all", "facilities")
        built = 1.02 ** (year - profile.BASE_YEAR)
        bought = 1.05 ** (year - profile.BASE_YEAR)
        size = school.base_students
        classes = sum(max(1, round(p.students / p.class_size)) if p.class_size else 1 for p in school.stages)
        classrooms = classes + school.spare_classrooms
        least = 1 if school.school_type_code in with_multimedia else 0
        multimedia = min(classrooms, max(least, round(classrooms * school.multimedia_share) + max(0, year - profile.BASE_YEAR)))
        values = {
            "school_code": school.school_code,
            "teaching_area_m2": round((size * school.teaching_area_per_student + rng.uniform(80, 300)) * built, 1),
            "sports_area_m2": round((size * school.sports_area_per_student + rng.uniform(100, 400)) * built, 1),
            "equipment_value_10k_yuan": round(size * school.equipment_yuan_per_student * bought / 10000, 2),
            "computers": float(round(size / school.students_per_computer * bought) + 2),
            "books": float(round(size * school.books_per_student * built)),
            "classrooms": float(classrooms),
            "multimedia_classrooms": float(multimedia),
        }
        for name, value in values.items():
            columns[name].append(value)
    return _frame("facilities", columns)


def year_tables(tree: RegionTree | None, seed: int, year: int) -> dict[str, pl.DataFrame]:
    """All seven tables of ``year`` except funding, keyed by table name."""
    population = population_for(tree, seed)
    students = students_for(tree, seed, year)
    staff = staff_table(population, students, year)
    return {
        "schools": schools_table(population),
        "enrollment": enrollment_table(population, students, year),
        "staff": staff,
        "security": security_table(population, students, staff, year),
        "facilities": facilities_table(population, year),
        "population": population_table(population, students, year),
    }
