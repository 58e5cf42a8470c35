"""Knobs of the synthetic sample: school mix, sizes, ratios, trends and money rates.

These shape made-up data only; they are not rules of the pipeline (those live in config/).
The calibration targets come from the report figures of config/indicators.toml.
"""

from __future__ import annotations

from dataclasses import dataclass

REPORT_REGION_CODE = "622900"
"""The prefecture whose 2020 data the report figures describe (临夏州)."""

REPORT_YEAR = 2020
"""The statistical year of the report figures; growth figures compare it with the year before."""

BASE_YEAR = 2019
"""The year whose school sizes are drawn first; every other year drifts from it."""

REPORT_COUNTIES = 8
"""Counties of the report prefecture; counts of other prefectures scale by their own county count."""


@dataclass(frozen=True)
class Kind:
    """One kind of school: its type codes, ownership, stages and where it sits (one entry per kind)."""

    type_codes: tuple[str, ...]
    ownership: str
    is_inclusive: bool | None
    stages: tuple[tuple[str, float], ...]
    """(stage, probability that a school of this kind reports it)."""
    areas: dict[str, float]
    """urban_rural_code → weight, outside the seat county."""
    seat_areas: dict[str, float]
    """urban_rural_code → weight, in the seat county (the prefecture's city)."""
    scales_with_area: bool = True
    """Whether school size follows urban > town > rural."""


_CITY = {"111": 0.55, "112": 0.27, "121": 0.1, "122": 0.04, "210": 0.02, "220": 0.02}
_TOWN_CENTRE = {"112": 0.15, "121": 0.85}
_SEAT_TOWN_CENTRE = {"111": 0.7, "112": 0.3}

KINDS: dict[str, Kind] = {
    "kg_public": Kind(
        ("111",), "public", None, (("preschool", 1.0),),
        {"112": 0.06, "121": 0.2, "122": 0.07, "123": 0.05, "210": 0.22, "220": 0.40}, _CITY,
    ),
    "kg_inclusive": Kind(
        ("111",), "private", True, (("preschool", 1.0),),
        {"112": 0.14, "121": 0.42, "122": 0.1, "123": 0.04, "210": 0.12, "220": 0.18}, _CITY,
    ),
    "kg_private": Kind(
        ("111",), "private", False, (("preschool", 1.0),),
        {"112": 0.3, "121": 0.5, "122": 0.1, "210": 0.1}, _CITY,
    ),
    "primary": Kind(
        ("211",), "public", None, (("primary", 1.0), ("preschool", 0.45)),
        {"112": 0.03, "121": 0.11, "122": 0.05, "123": 0.03, "210": 0.28, "220": 0.50}, _CITY,
    ),
    "primary_private": Kind(("211",), "private", None, (("primary", 1.0),), _TOWN_CENTRE, _SEAT_TOWN_CENTRE),
    "teaching_point": Kind(
        ("218",), "public", None, (("primary", 1.0), ("preschool", 0.35)),
        {"123": 0.04, "210": 0.16, "220": 0.80}, {"210": 0.5, "220": 0.5}, scales_with_area=False,
    ),
    "junior": Kind(
        ("311",), "public", None, (("junior", 1.0),),
        {"112": 0.05, "121": 0.35, "122": 0.1, "210": 0.2, "220": 0.30}, _CITY,
    ),
    "junior_private": Kind(("311",), "private", None, (("junior", 1.0),), _TOWN_CENTRE, _SEAT_TOWN_CENTRE),
    "nine_year": Kind(
        ("312",), "public", None, (("primary", 1.0), ("junior", 1.0), ("preschool", 0.25)),
        {"121": 0.15, "122": 0.1, "123": 0.05, "210": 0.3, "220": 0.40}, _CITY,
    ),
    "complete": Kind(("341",), "public", None, (("junior", 1.0), ("senior", 1.0)), _TOWN_CENTRE, _SEAT_TOWN_CENTRE, False),
    "senior": Kind(("342",), "public", None, (("senior", 1.0),), _TOWN_CENTRE, _SEAT_TOWN_CENTRE, False),
    "senior_private": Kind(("342",), "private", None, (("senior", 1.0),), _TOWN_CENTRE, _SEAT_TOWN_CENTRE, False),
    "twelve_year": Kind(
        ("345",), "public", None, (("primary", 1.0), ("junior", 1.0), ("senior", 1.0), ("preschool", 0.5)),
        _TOWN_CENTRE, _SEAT_TOWN_CENTRE, False,
    ),
    "vocational": Kind(("365", "361", "366"), "public", None, (("vocational", 1.0),), {"121": 1.0}, _SEAT_TOWN_CENTRE, False),
    "higher_vocational": Kind(("415",), "public", None, (("higher_vocational", 1.0),), {"121": 1.0}, {"112": 1.0}, False),
    "special": Kind(
        ("514", "513"), "public", None, (("primary", 1.0), ("junior", 1.0), ("preschool", 0.3)),
        {"121": 1.0}, {"111": 1.0}, False,
    ),
}

COUNTY_MIX: dict[str, float] = {
    "kg_public": 50, "primary": 80, "teaching_point": 46, "junior": 8, "nine_year": 15, "complete": 1.3, "senior": 2.2,
}
"""Mean schools of each kind in an ordinary county (times the county's size factor)."""

SEAT_MIX: dict[str, float] = {
    "kg_public": 36, "primary": 30, "teaching_point": 6, "junior": 7, "nine_year": 5, "complete": 3, "senior": 4,
}
"""Schools of each kind in the seat county (the prefecture's city)."""

UNIT_MIX: dict[str, int] = {
    "kg_private": 16, "twelve_year": 2, "vocational": 7, "higher_vocational": 1, "special": 6,
    "primary_private": 2, "junior_private": 1, "senior_private": 1,
}
"""Schools of each kind per prefecture of REPORT_COUNTIES counties; the seat gets the first ones."""

SEAT_FIRST: dict[str, int] = {"vocational": 2, "higher_vocational": 1, "special": 1, "twelve_year": 1, "kg_private": 6}
"""How many of a prefecture's UNIT_MIX schools go to its seat before the rest spread."""

COUNTY_SIZE_RANGE = (0.8, 1.2)
"""Range of an ordinary county's size factor."""

AREA_SIZE = {"urban": 1.6, "town": 1.0, "rural": 0.55}
"""School size by area, for kinds that scale with area."""

SIZES: dict[tuple[str, str], tuple[float, float, float]] = {
    ("kg_public", "preschool"): (90, 170, 360),
    ("kg_inclusive", "preschool"): (70, 140, 300),
    ("kg_private", "preschool"): (50, 110, 240),
    ("primary", "primary"): (160, 380, 1000),
    ("primary", "preschool"): (25, 50, 100),
    ("primary_private", "primary"): (500, 900, 1500),
    ("teaching_point", "primary"): (10, 26, 70),
    ("teaching_point", "preschool"): (8, 14, 30),
    ("junior", "junior"): (500, 1100, 2200),
    ("junior_private", "junior"): (400, 800, 1200),
    ("nine_year", "primary"): (200, 400, 900),
    ("nine_year", "junior"): (120, 280, 650),
    ("nine_year", "preschool"): (30, 60, 120),
    ("complete", "junior"): (600, 1000, 1800),
    ("complete", "senior"): (1000, 1800, 2800),
    ("senior", "senior"): (1400, 2800, 4500),
    ("senior_private", "senior"): (500, 900, 1500),
    ("twelve_year", "primary"): (500, 800, 1100),
    ("twelve_year", "junior"): (400, 600, 900),
    ("twelve_year", "senior"): (600, 900, 1400),
    ("twelve_year", "preschool"): (60, 90, 150),
    ("vocational", "vocational"): (900, 2200, 4500),
    ("higher_vocational", "higher_vocational"): (4500, 6000, 7500),
    ("special", "primary"): (40, 80, 160),
    ("special", "junior"): (15, 30, 60),
    ("special", "preschool"): (8, 12, 20),
}
"""(low, mode, high) of a school's base-year students per kind and stage (town size)."""

CLASS_SIZE: dict[str, tuple[float, float]] = {
    "preschool": (24, 34), "primary": (30, 47), "junior": (36, 49), "senior": (44, 54),
    "vocational": (36, 48), "higher_vocational": (40, 50),
}
"""Range of the average class size per stage (rural primary and junior schools sit lower)."""

RURAL_CLASS_SIZE = (18, 38)
"""Average class size range of rural primary and junior rows."""

TEACHING_POINT_CLASSES = (1, 4)
"""Classes (often mixed-grade) at a teaching point."""

TEACHING_POINT_CLASS_SIZE = 30
"""A teaching point opens another class beyond this many pupils."""

PUPIL_TEACHER: dict[str, tuple[float, float]] = {
    "preschool": (14, 24), "primary": (14, 20), "junior": (11, 15), "senior": (12, 16),
    "vocational": (16, 24), "higher_vocational": (16, 21),
}
"""Range of a school's pupil-teacher ratio per stage."""

RURAL_PRIMARY_PUPIL_TEACHER = (9, 15)
TEACHING_POINT_PUPIL_TEACHER = (6, 12)
SPECIAL_PUPIL_TEACHER = (5.2, 7)

ENTRANT_SHARE: dict[str, float] = {
    "preschool": 1 / 3, "primary": 1 / 6, "junior": 1 / 3, "senior": 1 / 3, "vocational": 0.36, "higher_vocational": 1 / 3,
}
"""Entrants per student (one cohort of the stage's years)."""

STAGE_TREND: dict[str, float] = {
    "preschool": 0.03, "primary": 0.005, "junior": 0.02, "senior": 0.04, "vocational": 0.06, "higher_vocational": 0.05,
}
"""Yearly growth of students per stage."""

SCHOOL_DRIFT = 0.07
"""A school's students move by up to this share a year around the stage trend."""

STUDENTS_CHANGE_CAP = 0.25
"""No school's students move more than this share in a year (below the pipeline's 30% warning)."""

MIX_STEP_CAP = 0.1
"""Outside the base and report years, private kindergartens resize by at most this share a year."""

MIN_STUDENTS = 6
"""The smallest a reported stage gets."""

TARGET_TRENDS: dict[str, float] = {
    "preschool_ger": 1.5, "senior_ger": 1.5, "preschool_public_share": 1.5, "preschool_inclusive_coverage": 0.4,
    "guard_rate_schools": 4, "guard_rate_kindergartens_urban": 0, "guard_rate_kindergartens_town": 5,
    "guard_rate_kindergartens_rural": 6, "guard_rate_teaching_points": 5,
}
"""Percentage points per year by which a calibrated rate moves away from its report-year figure."""

TARGET_CAP = 99.0
"""Rates extrapolated to other years stop here (a ratio target of 100 stays 100)."""

PRIMARY_RATIO = (0.97, 1.06)
"""Range of an ordinary county's primary pupils per resident aged 6–11 (the seat sits higher)."""

AGE_COHORTS: dict[str, tuple[float, float]] = {
    "age_3_5": (3.0, 3.36), "age_6_11": (6.0, 6.0), "age_12_14": (2.76, 3.06), "age_15_17": (2.64, 3.0),
}
"""Range of each age group's size in one-year cohorts of a county's 6–11-year-olds (younger cohorts are larger)."""

SEAT_GER_BONUS = 1.2
"""The seat's schools take pupils from around it: its ratios sit this much higher."""

BUDGET_PER_STUDENT_YUAN: dict[str, float] = {
    "preschool": 7800, "primary": 10500, "junior": 13500, "senior": 15000, "vocational": 18000, "higher_vocational": 16000,
}
"""Base-year budget per student (元) of each stage, before calibration (each unit varies it by BUDGET_RATE_SPREAD)."""

BUDGET_RATE_SPREAD = 0.05

BUDGET_GROWTH_DEFAULT = 0.06
"""Yearly growth of the budget per student outside the calibrated years."""

PUBLIC_FUNDS_PER_STUDENT_YUAN: dict[str, float] = {
    "preschool": 1200, "primary": 800, "junior": 900, "senior": 3000, "vocational": 10000, "higher_vocational": 9000,
}
"""Report-year public funds per student (元) for prefectures without report figures."""

PUBLIC_FUNDS_GROWTH = 0.07
"""Yearly growth of public funds per stage."""

FIXED_COST_STUDENTS = 40
"""A school's budget has a fixed part worth this many students (small schools cost more per pupil)."""

PRIVATE_BUDGET_SHARE: dict[str, float] = {"inclusive": 0.15, "private": 0.0, "other_private": 0.08}
"""Share of a public school's budget a private school receives (inclusive kindergartens are subsidised)."""

LARGE_CLASS_LIMIT = 0.6
"""Share (%) of primary and junior classes of 56 or more pupils the generator aims below."""

NOT_CLOSED_SHARE = 0.001
"""Share of schools (teaching points first) not under closed management in the report year; more before."""
