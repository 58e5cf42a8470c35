"""The school population of a region tree: who the schools are, where, and how big in the base year."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cached_property, lru_cache

from config import RegionTree, Rules, load_regions
from edustat.sample import profile
from edustat.sample.calibrate import report_figures, split_total
from edustat.sample.names import SchoolNamer, townships
from schemas.rules import load_rules


@dataclass(frozen=True)
class StagePlan:
    """One stage of one school in the base year: its size and the school's habits in that stage."""

    stage: str
    students: int
    class_size: float
    pupils_per_teacher: float


@dataclass(frozen=True)
class PlannedSchool:
    """One school of the sample: registry fields, stages, and persistent traits the yearly values follow."""

    school_code: str
    school_name: str
    county_code: str
    unit_code: str
    kind: str
    school_type_code: str
    urban_rural_code: str
    area: str
    ownership: str
    is_inclusive: bool | None
    stages: tuple[StagePlan, ...]
    propensity: float
    """0–1: how early the school gets guards, alarms, video (bigger schools sit higher)."""
    budget_factor: float
    teaching_area_per_student: float
    sports_area_per_student: float
    equipment_yuan_per_student: float
    students_per_computer: float
    books_per_student: float
    spare_classrooms: int
    multimedia_share: float

    @property
    def base_students(self) -> int:
        """Students of every stage in the base year."""
        return sum(s.students for s in self.stages)


@dataclass(frozen=True)
class County:
    """One county of the tree with its calibration unit (its prefecture) and its enrolment ratios."""

    code: str
    name: str
    unit_code: str
    is_seat: bool
    primary_ratio: float
    """Primary pupils per resident aged 6–11."""
    age_cohorts: dict[str, float]
    """Age column → its size in one-year cohorts of the county's 6–11-year-olds."""


@dataclass(frozen=True)
class Population:
    """Every county and school of the sample; one per (region tree, seed)."""

    seed: int
    counties: tuple[County, ...]
    schools: tuple[PlannedSchool, ...]

    @cached_property
    def _units(self) -> dict[str, tuple[str, ...]]:
        units: dict[str, list[str]] = {}
        for county in self.counties:
            units.setdefault(county.unit_code, []).append(county.code)
        return {u: tuple(c) for u, c in units.items()}

    @cached_property
    def _unit_schools(self) -> dict[str, tuple[PlannedSchool, ...]]:
        schools: dict[str, list[PlannedSchool]] = {u: [] for u in self._units}
        for school in self.schools:
            schools[school.unit_code].append(school)
        return {u: tuple(s) for u, s in schools.items()}

    def units(self) -> dict[str, tuple[str, ...]]:
        """Calibration unit code → its county codes, in tree order."""
        return self._units

    def unit_schools(self, unit: str) -> tuple[PlannedSchool, ...]:
        """The schools of one calibration unit, in code order."""
        return self._unit_schools[unit]


def _unit_of(tree: RegionTree) -> dict[str, str]:
    """County code → the code of its prefecture (or its parent, or itself when it has none)."""
    by_code = tree.by_code()
    units = {}
    for county in (r for r in tree.regions if r.level == "county"):
        current, unit = county, county.parent_code or county.code
        while current.parent_code is not None:
            current = by_code[current.parent_code]
            if current.level == "prefecture":
                unit = current.code
                break
        units[county.code] = unit
    return units


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _kind_counts(tree: RegionTree, unit_of: dict[str, str], seed: int) -> dict[str, dict[str, int]]:
    """County code → kind → number of schools."""
    counties = [r for r in tree.regions if r.level == "county"]
    counts: dict[str, dict[str, int]] = {c.code: {} for c in counties}
    sizes: dict[str, float] = {}
    seats: dict[str, str] = {}
    for county in counties:
        rng = random.Random(f"{seed}|county|{county.code}")
        is_seat = seats.setdefault(unit_of[county.code], county.code) == county.code
        size = 1.0 if is_seat else rng.uniform(*profile.COUNTY_SIZE_RANGE)
        sizes[county.code] = size
        mix = profile.SEAT_MIX if is_seat else profile.COUNTY_MIX
        for kind, mean in mix.items():
            expected = mean * (1.0 if is_seat else size) * rng.uniform(0.9, 1.1)
            counts[county.code][kind] = int(round(expected))
    for unit, seat in seats.items():
        members = [c.code for c in counties if unit_of[c.code] == unit]
        others = [c for c in members if c != seat]
        scale = len(members) / profile.REPORT_COUNTIES
        rng = random.Random(f"{seed}|unit|{unit}")
        inclusive = report_figures()["inclusive_private_kindergartens"]
        total = int(inclusive if unit == profile.REPORT_REGION_CODE else round(inclusive * scale))
        # The city holds a larger share of private kindergartens than its size alone would give.
        weights = [2.5 if c == seat else sizes[c] for c in members]
        for code, n in zip(members, split_total(total, weights), strict=True):
            counts[code]["kg_inclusive"] = n
        for kind, per_unit in profile.UNIT_MIX.items():
            n = per_unit if unit == profile.REPORT_REGION_CODE else max(1, round(per_unit * scale))
            at_seat = min(n, profile.SEAT_FIRST.get(kind, 0) if others else n)
            counts[seat][kind] = counts[seat].get(kind, 0) + at_seat
            spread = others[:]
            rng.shuffle(spread)
            for i in range(n - at_seat):
                code = spread[i % len(spread)] if spread else seat
                counts[code][kind] = counts[code].get(kind, 0) + 1
    return counts


def _stage_plans(kind: str, type_code: str, area: str, rng: random.Random, rules: Rules) -> tuple[StagePlan, ...]:
    spec = profile.KINDS[kind]
    allowed = rules.school_types[type_code].stages
    plans = []
    for stage, probability in spec.stages:
        if stage not in allowed:
            raise ValueError(f"sample profile gives a {type_code} school the stage {stage}, which config/rules.toml does not allow")
        if rng.random() >= probability:
            continue
        low, mode, high = profile.SIZES[(kind, stage)]
        factor = profile.AREA_SIZE[area] if spec.scales_with_area else 1.0
        students = max(profile.MIN_STUDENTS, round(rng.triangular(low, high, mode) * factor))
        if kind == "teaching_point":
            class_size = 0.0
            ratio = rng.uniform(*profile.TEACHING_POINT_PUPIL_TEACHER)
        else:
            rural_compulsory = area == "rural" and stage in ("primary", "junior")
            class_size = rng.uniform(*(profile.RURAL_CLASS_SIZE if rural_compulsory else profile.CLASS_SIZE[stage]))
            if kind == "special":
                ratio = rng.uniform(*profile.SPECIAL_PUPIL_TEACHER)
            elif rural_compulsory and stage == "primary":
                ratio = rng.uniform(*profile.RURAL_PRIMARY_PUPIL_TEACHER)
            else:
                ratio = rng.uniform(*profile.PUPIL_TEACHER[stage])
        plans.append(StagePlan(stage, students, class_size, ratio))
    return tuple(plans)


def _county(code: str, name: str, unit: str, is_seat: bool, rng: random.Random) -> County:
    ratio = rng.uniform(*profile.PRIMARY_RATIO) * (profile.SEAT_GER_BONUS if is_seat else 1.0)
    cohorts = {column: rng.uniform(low, high) for column, (low, high) in profile.AGE_COHORTS.items()}
    return County(code, name, unit, is_seat, ratio, cohorts)


def build_population(tree: RegionTree, rules: Rules, seed: int) -> Population:
    """Every school of every county of ``tree``: one PlannedSchool per school, deterministic in ``seed``."""
    unit_of = _unit_of(tree)
    by_code = tree.by_code()
    counts = _kind_counts(tree, unit_of, seed)
    counties: list[County] = []
    schools: list[PlannedSchool] = []
    seats: dict[str, str] = {}
    province_ordinal: dict[str, int] = {}
    for county in (r for r in tree.regions if r.level == "county"):
        rng = random.Random(f"{seed}|schools|{county.code}")
        unit = unit_of[county.code]
        is_seat = seats.setdefault(unit, county.code) == county.code
        counties.append(_county(county.code, county.name_zh, unit, is_seat, rng))
        prefix = county.code[:2]
        province_ordinal[prefix] = province_ordinal.get(prefix, 0) + 1
        unit_name = by_code[unit].name_zh if unit in by_code else county.name_zh
        namer = SchoolNamer(county.name_zh, unit_name, townships(rng, rng.randint(12, 22)), rng)
        kinds = [kind for kind in profile.KINDS for _ in range(counts[county.code].get(kind, 0))]
        # Codes are handed out in registration order, not grouped by kind.
        rng.shuffle(kinds)
        for number, kind in enumerate(kinds, start=1):
            spec = profile.KINDS[kind]
            type_code = rng.choice(spec.type_codes)
            urban_rural = _weighted(rng, spec.seat_areas if is_seat else spec.areas)
            area = rules.urban_rural[urban_rural]
            stages = _stage_plans(kind, type_code, area, rng, rules)
            head = "41" if type_code == "415" else "21"
            code = f"{head}{prefix}{province_ordinal[prefix]:03d}{number:03d}"
            size = sum(s.students for s in stages)
            is_kindergarten = kind.startswith("kg_")
            classes = sum(max(1, round(s.students / s.class_size)) if s.class_size else 1 for s in stages)
            schools.append(
                PlannedSchool(
                    school_code=code,
                    school_name=namer.name(kind, area),
                    county_code=county.code,
                    unit_code=unit,
                    kind=kind,
                    school_type_code=type_code,
                    urban_rural_code=urban_rural,
                    area=area,
                    ownership=spec.ownership,
                    is_inclusive=spec.is_inclusive,
                    stages=stages,
                    propensity=0.7 * rng.random() + 0.3 * min(1.0, size / 1500),
                    budget_factor=rng.uniform(0.85, 1.2),
                    teaching_area_per_student=rng.uniform(4.0, 8.0),
                    sports_area_per_student=rng.uniform(3.0, 8.0) if is_kindergarten else rng.uniform(6.0, 14.0),
                    equipment_yuan_per_student=rng.uniform(1500, 3500),
                    students_per_computer=rng.uniform(8, 20) if is_kindergarten else rng.uniform(5, 12),
                    books_per_student=rng.uniform(5, 15) if is_kindergarten else rng.uniform(20, 40),
                    spare_classrooms=rng.randint(0, 3) if classes > 2 else 0,
                    multimedia_share=rng.uniform(0.6, 1.0),
                )
            )
    schools.sort(key=lambda s: s.school_code)
    return Population(seed, tuple(counties), tuple(schools))


@lru_cache(maxsize=4)
def population_for(tree: RegionTree | None, seed: int) -> Population:
    """The (cached) population of ``tree`` (the default region when None) for ``seed``."""
    return build_population(tree or load_regions(), load_rules(), seed)
