"""The school attributes the indicator engine reads: the counted schools and a frame joined to its schools' attributes."""

from __future__ import annotations

import polars as pl

from schemas.staged import StagedTables
from schemas.tables import DATA_TABLES

SCHOOL_ATTRIBUTES = (
    "school_code",
    "county_code",
    "school_type_code",
    "urban_rural_code",
    "ownership",
    "is_inclusive",
)
"""The registry columns a school's rows are joined to: its code, county, type, urban-rural code, ownership and is_inclusive."""


def counted_schools(staged: StagedTables) -> pl.LazyFrame:
    """One row per registry school with a row in any of the year's data tables ("schools" of contract §4)."""
    codes = pl.concat([getattr(staged, name).lazy().select("school_code") for name in DATA_TABLES]).unique()
    registry = staged.schools.lazy().select(SCHOOL_ATTRIBUTES)
    return registry.join(codes, on="school_code", how="semi")


def with_school(frame: pl.LazyFrame | pl.DataFrame, staged: StagedTables) -> pl.LazyFrame:
    """``frame`` (keyed by school_code) with the school's county, type, area code, ownership and is_inclusive.

    Rows of schools missing from the registry are dropped: validation rejects them before this point.
    Row order is not kept (keeping it made the join three times slower): contributions are summed
    exactly, so their order changes no value.
    """
    return frame.lazy().join(staged.schools.lazy().select(SCHOOL_ATTRIBUTES), on="school_code", how="inner")
