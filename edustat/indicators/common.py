"""Shared building blocks of the indicator engine: the contribution shape, the counted schools, exact sums and rounding."""

from __future__ import annotations

import polars as pl

from schemas.staged import StagedTables
from schemas.tables import DATA_TABLES

CONTRIBUTION_SCHEMA: dict[str, pl.DataType] = {
    "county_code": pl.String(),
    "school_code": pl.String(),
    "indicator_code": pl.String(),
    "numerator": pl.Float64(),
    "denominator": pl.Float64(),
}
"""Columns of a contribution frame: one row per school (or per county for population rows) per indicator."""

DECIMALS = 6
"""Decimals kept in contributions, values, numerators and denominators.

Float sums depend on the order in which threads add the rows. Contributions are rounded to this
many decimals and summed exactly as fixed-point integers, and results are rounded again, so two runs
over the same input are byte-for-byte equal. Kept here, not in config/rules.toml, because
config.models.Rules does not (yet) have a field for it.
"""

FIXED_POINT = 10**DECIMALS
"""Units per 1 in the fixed-point (Int128) sums of contributions."""

SCHOOL_ATTRIBUTES = (
    "school_code",
    "county_code",
    "school_type_code",
    "urban_rural_code",
    "ownership",
    "is_inclusive",
)


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


def fixed_point(expr: pl.Expr) -> pl.Expr:
    """``expr`` (a number) as an Int128 count of 10⁻DECIMALS units, so that sums of it are exact."""
    return (expr * FIXED_POINT).round().cast(pl.Int128)


def exact_sum(name: str) -> pl.Expr:
    """Σ of column ``name`` taken to DECIMALS and added as Int128 fixed point: exact, so independent of row order.

    NULLs add nothing; the result stays in fixed-point units (divide by FIXED_POINT).
    """
    return fixed_point(pl.col(name)).sum().alias(name)


def from_fixed_point(name: str) -> pl.Expr:
    """Fixed-point column ``name`` back to Float64."""
    return (pl.col(name).cast(pl.Float64) / FIXED_POINT).alias(name)


def stable_round(expr: pl.Expr, decimals: int = DECIMALS) -> pl.Expr:
    """``expr`` rounded to ``decimals``, with −0.0 written as 0.0 so equal values have equal bytes."""
    rounded = expr.round(decimals)
    # the first branch is ``rounded`` so the result keeps the input's column name
    return pl.when(rounded.is_null() | (rounded != 0)).then(rounded).otherwise(pl.lit(0.0))
