"""Tiny staged tables and regions for the indicator tests: only the columns a test names are filled."""

from __future__ import annotations

from typing import Any

import polars as pl

from config import Catalogue, Region, RegionTree, Rules
from edustat.indicators import compute_indicators
from edustat.indicators.term_sums import indicator_rows
from schemas.catalogue import load_catalogue
from schemas.rules import load_rules
from schemas.staged import StagedTables
from schemas.tables import TABLES, staged_dtypes

PROVINCE, PREFECTURE = "620000", "622900"
COUNTY_A, COUNTY_B = "622901", "622921"


def rules() -> Rules:
    """The project's rules (config/rules.toml)."""
    return load_rules()


def catalogue() -> Catalogue:
    """The project's catalogue (config/indicators.toml)."""
    return load_catalogue()


def regions() -> RegionTree:
    """Province → prefecture → two counties (A, B)."""
    return RegionTree(
        regions=(
            Region(code=PROVINCE, name_zh="甘肃省", name_en="Gansu", level="province"),
            Region(code=PREFECTURE, name_zh="临夏州", name_en="Linxia", level="prefecture", parent_code=PROVINCE),
            Region(code=COUNTY_A, name_zh="临夏市", name_en="A", level="county", parent_code=PREFECTURE),
            Region(code=COUNTY_B, name_zh="临夏县", name_en="B", level="county", parent_code=PREFECTURE),
        )
    )


def table(name: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    """A staged frame of table ``name``: every staged column, unnamed ones NULL, provenance filled."""
    dtypes = {column: getattr(pl, dtype) for column, dtype in staged_dtypes(name).items()}
    full = [
        {column: None for column in dtypes}
        | {"source_file": "test.xlsx", "source_sheet": TABLES[name].sheet_zh, "source_row": number + 2}
        | row
        for number, row in enumerate(rows)
    ]
    return pl.DataFrame(full, schema=dtypes, orient="row") if full else pl.DataFrame(schema=dtypes)


def staged(**tables: list[dict[str, Any]]) -> StagedTables:
    """StagedTables with the given rows per table name; tables not named are empty."""
    unknown = set(tables) - set(TABLES)
    assert not unknown, unknown
    return StagedTables(**{name: table(name, tables.get(name, [])) for name in TABLES})


def school(
    code: str,
    county: str = COUNTY_A,
    type_code: str = "211",
    urban_rural: str = "111",
    ownership: str = "public",
    is_inclusive: bool | None = None,
) -> dict[str, Any]:
    """A registry row."""
    return {
        "school_code": code,
        "school_name": f"school {code}",
        "county_code": county,
        "school_type_code": type_code,
        "urban_rural_code": urban_rural,
        "ownership": ownership,
        "is_inclusive": is_inclusive,
    }


def enrol(code: str, stage: str, students: int = 0, entrants: int = 0, classes: int = 0,
          classes_56_65: int = 0, classes_66_plus: int = 0) -> dict[str, Any]:  # fmt: skip
    """An enrollment row."""
    return {
        "school_code": code,
        "stage": stage,
        "students": students,
        "entrants": entrants,
        "classes": classes,
        "classes_56_65": classes_56_65,
        "classes_66_plus": classes_66_plus,
    }


STAFF_COUNTS = (
    "staff",
    "teachers",
    "teachers_above_degree",
    "teachers_senior_title",
    "backbone_teachers",
    "pe_art_teachers",
    "putonghua_qualified",
    "new_teachers",
    "training_sessions",
)


def staff(code: str, stage: str, **counts: int) -> dict[str, Any]:
    """A staff row; counts not named are 0."""
    assert set(counts) <= set(STAFF_COUNTS), counts
    return {"school_code": code, "stage": stage} | dict.fromkeys(STAFF_COUNTS, 0) | counts


def security(code: str, guards: int = 0, has_video: bool = False, has_alarm: bool = False,
             is_closed_campus: bool = False) -> dict[str, Any]:  # fmt: skip
    """A security row."""
    return {
        "school_code": code,
        "guards": guards,
        "has_video": has_video,
        "has_alarm": has_alarm,
        "is_closed_campus": is_closed_campus,
        "has_police_post": False,
    }


FACILITY_NUMBERS = (
    "teaching_area_m2",
    "sports_area_m2",
    "equipment_value_10k_yuan",
    "computers",
    "books",
    "classrooms",
    "multimedia_classrooms",
)


def facilities(code: str, **numbers: float) -> dict[str, Any]:
    """A facilities row; numbers not named are 0."""
    assert set(numbers) <= set(FACILITY_NUMBERS), numbers
    return {"school_code": code} | dict.fromkeys(FACILITY_NUMBERS, 0.0) | {k: float(v) for k, v in numbers.items()}


def funding(code: str, stage: str, budget: float = 0.0, public_funds: float = 0.0) -> dict[str, Any]:
    """A funding row."""
    return {"school_code": code, "stage": stage, "budget_10k_yuan": budget, "public_funds_10k_yuan": public_funds}


def population(county: str, age_3_5: int = 0, age_15_17: int = 0) -> dict[str, Any]:
    """A population row (the two ages the indicators read; the others 0)."""
    return {"county_code": county, "age_3_5": age_3_5, "age_6_11": 0, "age_12_14": 0, "age_15_17": age_15_17}


def rolled_up(data: StagedTables) -> pl.DataFrame:
    """Every value of ``data`` over the test regions, from the project's catalogue (its terms) and rules."""
    return compute_indicators(data, regions(), rules(), catalogue()).values


def value_of(values: pl.DataFrame, code: str, region: str = COUNTY_A) -> dict[str, Any]:
    """The row of ``code`` for ``region`` as a dict (value, numerator, denominator …)."""
    rows = values.filter((pl.col("indicator_code") == code) & (pl.col("region_code") == region))
    assert rows.height == 1, (code, region, rows)
    return rows.row(0, named=True)


def triple(values: pl.DataFrame, code: str, region: str = COUNTY_A) -> tuple[Any, Any, Any]:
    """(value, numerator, denominator) of ``code`` for ``region``."""
    row = value_of(values, code, region)
    return row["value"], row["numerator"], row["denominator"]


def contribution_rows(data: StagedTables, code: str) -> pl.DataFrame:
    """The rows behind ``code`` (one per school, or per county for population), with the code, sorted by county and school."""
    rows = indicator_rows(data, rules(), catalogue(), code)
    assert rows is not None, code
    return rows.insert_column(2, pl.lit(code).alias("indicator_code")).sort("county_code", "school_code", nulls_last=False)
