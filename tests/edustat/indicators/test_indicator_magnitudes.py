"""validate and run agree: any finite number in any numeric cell either is refused by validation or computes cleanly.

A small valid year (two counties; primary, junior, senior, vocational, preschool and a teaching point,
every table) is staged as frames. Hypothesis overwrites a few numeric cells with random finite
values — huge (1e308), tiny, subnormal, negative, exactly at a ceiling or just above — then runs the
year's whole validation (``combine_year``: Pandera, ceilings, cross-table, completeness). Where it
finds no error, the indicators of the year (growth against the valid year before included) must
compute without an exception and without a NaN or infinity in any value, numerator or denominator.
"""

from __future__ import annotations

import math
import sys

import hypothesis.strategies as st
import polars as pl
from hypothesis import HealthCheck, example, given, settings
from indicator_builders import COUNTY_A, COUNTY_B, enrol, facilities, funding, regions, school, security, staff, table

from edustat.indicators.aggregate import to_fixed_point
from edustat.indicators.compute import compute_indicators
from edustat.indicators.exact_sums import FIXED_POINT, from_fixed_point, stable_round
from edustat.ingest.files import FileResult
from edustat.ingest.stage import combine_year
from schemas.catalogue import load_catalogue
from schemas.issues import has_errors
from schemas.rules import load_rules
from schemas.staged import StagedTables
from schemas.tables import TABLES
from tests.examples import examples

RULES = load_rules()
CATALOGUE = load_catalogue()
REGIONS = regions()

SCHOOLS = [
    # code, county, type, urban_rural, ownership, is_inclusive, stage, students
    ("2162000001", COUNTY_A, "211", "121", "public", None, "primary", 600),
    ("2162000002", COUNTY_A, "211", "111", "public", None, "primary", 420),
    ("2162000003", COUNTY_A, "311", "210", "public", None, "junior", 500),
    ("2162000004", COUNTY_A, "311", "121", "public", None, "junior", 350),
    ("2162000005", COUNTY_A, "111", "111", "private", True, "preschool", 120),
    ("2162000006", COUNTY_A, "218", "220", "public", None, "primary", 60),
    ("2162000007", COUNTY_B, "342", "112", "public", None, "senior", 900),
    ("2162000008", COUNTY_B, "361", "121", "public", None, "vocational", 700),
    ("2162000009", COUNTY_B, "211", "210", "public", None, "primary", 300),
]


def _rows() -> dict[str, list[dict]]:
    """The valid year: one registry, enrollment, staff, security, facilities and funding row per school."""
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    for code, county, type_code, area, ownership, inclusive, stage, students in SCHOOLS:
        classes = students // 40 + 1
        teachers = students // 15 + 1
        rows["schools"].append(school(code, county, type_code, area, ownership, inclusive))
        rows["enrollment"].append(enrol(code, stage, students, students // 3, classes, 1, 0))
        rows["staff"].append(
            staff(code, stage, staff=teachers + 5, teachers=teachers, teachers_above_degree=teachers // 2,
                  teachers_senior_title=teachers // 3, backbone_teachers=teachers // 10, pe_art_teachers=teachers // 8,
                  putonghua_qualified=teachers, new_teachers=2, training_sessions=3 * teachers)
        )
        rows["security"].append(security(code, guards=2, has_video=True, has_alarm=True, is_closed_campus=True))
        rows["facilities"].append(
            facilities(code, teaching_area_m2=5.0 * students, sports_area_m2=8.0 * students,
                       equipment_value_10k_yuan=0.25 * students, computers=students / 8, books=30 * students,
                       classrooms=classes, multimedia_classrooms=classes)
        )
        rows["funding"].append(funding(code, stage, budget=1.2 * students, public_funds=0.1 * students))
    rows["population"] = [
        {"county_code": county, "age_3_5": 150, "age_6_11": 1500, "age_12_14": 900, "age_15_17": 1000}
        for county in (COUNTY_A, COUNTY_B)
    ]
    return rows


VALID = _rows()

NUMERIC_CELLS = [
    (name, index, column.name, column.kind)
    for name, spec in TABLES.items()
    for column in spec.columns
    if column.kind in ("integer", "number")
    for index in range(len(VALID[name]))
]
"""Every numeric cell of the valid year: (table, row index, column, kind)."""


def _ceilings(name: str, column: str) -> list[float]:
    ceiling = RULES.ceilings[name][column]
    return [ceiling.unusual, ceiling.impossible, math.nextafter(ceiling.impossible, math.inf)]


SPECIAL_FLOATS = [
    0.0, -0.0, 1e308, -1e308, sys.float_info.max, 1e160, 1e-160, 5e-324, 1e-310, sys.float_info.min, 1e-7, 5e-7,
    -5e-324, -1e-300, 0.4999999, 1e6, 1e7 + 0.5,
]


@st.composite
def mutations(draw: st.DrawFn) -> dict[tuple[str, int, str], float | int]:
    """A few numeric cells of the valid year, each with a new value of its column's kind."""
    chosen = draw(st.lists(st.sampled_from(NUMERIC_CELLS), min_size=1, max_size=3, unique=True))
    result: dict[tuple[str, int, str], float | int] = {}
    for name, index, column, kind in chosen:
        near = _ceilings(name, column)
        # Half the values lie within the ceiling, so that many years pass validation and reach the indicators.
        if kind == "integer":
            within = st.integers(0, int(near[1]))
            value = draw(
                st.one_of(
                    within,
                    within,
                    st.integers(-(2**63), 2**63 - 1),
                    st.sampled_from([0, -1, 2**62, 2**63 - 1, -(2**63), *(int(x) for x in near[:2]), int(near[1]) + 1]),
                )
            )
        else:
            within = st.floats(min_value=0.0, max_value=near[1])
            value = draw(
                st.one_of(
                    within,
                    within,
                    st.floats(allow_nan=False, allow_infinity=False),
                    st.sampled_from(SPECIAL_FLOATS + near),
                )
            )
        result[(name, index, column)] = value
    return result


def _staged(changes: dict[tuple[str, int, str], float | int]) -> StagedTables:
    rows = {name: [dict(row) for row in table_rows] for name, table_rows in VALID.items()}
    for (name, index, column), value in changes.items():
        rows[name][index][column] = value
    return StagedTables(**{name: table(name, rows[name]) for name in TABLES})


def _validate(data: StagedTables, previous: StagedTables | None = None) -> pl.DataFrame:
    result = FileResult(source_file="test.xlsx", tables={name: getattr(data, name) for name in TABLES})
    previous_enrollment = previous.enrollment.select("school_code", "stage", "students") if previous else None
    return combine_year([result], REGIONS, RULES, previous_enrollment).issues


def _not_finite(values: pl.DataFrame) -> pl.DataFrame:
    return values.filter(pl.any_horizontal([pl.col(c).is_nan() | pl.col(c).is_infinite() for c in ("value", "numerator", "denominator")]))


BASE = _staged({})
BASE_VALUES = compute_indicators(BASE, REGIONS, RULES, CATALOGUE).values


def test_the_unmutated_year_is_valid_and_computes_every_value() -> None:
    # The property below is only worth something if the untouched year passes validation.
    assert not has_errors(_validate(BASE))
    assert _not_finite(BASE_VALUES).height == 0
    assert BASE_VALUES.filter(pl.col("indicator_code").str.starts_with("balance_cv_")).drop_nulls("value").height > 0


AT_THE_CEILINGS = {
    (name, index, column): RULES.ceilings[name][column].impossible
    for name, index, column, _ in NUMERIC_CELLS
    if name in ("facilities", "funding", "population") and not (name == "funding" and column == "public_funds_10k_yuan")
}
"""Every facility, funding and population cell at its highest valid value (public funds kept below the budget)."""


@settings(max_examples=examples(60), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(changes=mutations())
@example(changes=AT_THE_CEILINGS)
@example(changes={("facilities", 0, "teaching_area_m2"): 1e308})
@example(changes={("funding", 0, "budget_10k_yuan"): 1e160})
@example(changes={("facilities", 0, "equipment_value_10k_yuan"): 5e-324, ("facilities", 1, "equipment_value_10k_yuan"): 1e-310})
def test_a_number_is_refused_by_validation_or_computes_cleanly(changes: dict[tuple[str, int, str], float | int]) -> None:
    data = _staged(changes)
    issues = _validate(data, BASE)  # must not raise
    if has_errors(issues):
        return
    values = compute_indicators(data, REGIONS, RULES, CATALOGUE, BASE_VALUES).values  # must not raise
    assert _not_finite(values).height == 0, _not_finite(values).head(5).rows()


def test_the_fixed_point_sums_hold_any_valid_country() -> None:
    # The largest sum of a year: every row of a country at the highest ceiling, a school's six stages added.
    # Contributions are summed as Int128 fixed point: it must hold that sum; Int64 would not (the reason for Int128).
    national_rows = 1_000_000  # ~534,000 schools today, one to six stage rows each
    highest = max(c.impossible for columns in RULES.ceilings.values() for c in columns.values())
    largest = highest * 6 * national_rows * FIXED_POINT
    assert largest < 2**127 / 1000
    assert largest > 2**63


@settings(max_examples=examples(200), derandomize=True)
@given(units=st.integers(min_value=0, max_value=2**31 * FIXED_POINT))
def test_a_stored_county_sum_below_two_to_the_31_reads_back_as_its_fixed_point_integer(units: int) -> None:
    # A correction rolls stored county sums up with recomputed ones: the round trip through a double must be exact.
    sums = pl.DataFrame({"county_code": ["622901"], "indicator_code": ["budget_total_10k_yuan"], "numerator": [units], "denominator": [units]},
                        schema={"county_code": pl.String, "indicator_code": pl.String, "numerator": pl.Int128, "denominator": pl.Int128})
    stored = sums.select(
        pl.col("county_code").alias("region_code"), "indicator_code",
        *(stable_round(from_fixed_point(name)) for name in ("numerator", "denominator")),
    )
    back = to_fixed_point(stored).collect()
    assert back["numerator"].to_list() == [units]
