"""Shared building blocks of the indicator engine: the contribution shape, the counted schools, rounding."""

from __future__ import annotations

import polars as pl

from edustat.staged import StagedTables
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


def per_school_stage(
    staged: StagedTables, left: tuple[str, str], right: tuple[str, str], stages: list[str]
) -> pl.LazyFrame:
    """One row per school and stage found in either table, with both columns (null where a side has no row), plus county_code.

    Ratios across two tables (students / teachers, budget / students) keep a stage that only one
    table reports: it still counts on its own side, as Σ/Σ over all rows requires.
    """
    (left_table, left_column), (right_table, right_column) = left, right
    return with_school(
        getattr(staged, left_table)
        .lazy()
        .select("school_code", "stage", left_column)
        .join(
            getattr(staged, right_table).lazy().select("school_code", "stage", right_column),
            on=["school_code", "stage"],
            how="full",
            coalesce=True,
        )
        .filter(pl.col("stage").is_in(stages)),
        staged,
    )


def school_rows(
    frame: pl.LazyFrame,
    code: str | pl.Expr,
    numerator: pl.Expr | None,
    denominator: pl.Expr | None = None,
) -> pl.LazyFrame:
    """Contribution rows from a frame with county_code and school_code: one row per row of ``frame``.

    Numbers are rounded to DECIMALS, so a per-school sum comes out the same whatever order its rows were added in.
    """
    code_expr = pl.lit(code) if isinstance(code, str) else code
    return frame.select(
        pl.col("county_code").cast(pl.String),
        pl.col("school_code").cast(pl.String),
        code_expr.cast(pl.String).alias("indicator_code"),
        stable_round(_float(numerator)).alias("numerator"),
        stable_round(_float(denominator)).alias("denominator"),
    )


def population_rows(staged: StagedTables, code: str, column: str) -> pl.LazyFrame:
    """Denominator-only contribution rows from the population table: one row per county."""
    return staged.population.lazy().select(
        pl.col("county_code").cast(pl.String),
        pl.lit(None, dtype=pl.String).alias("school_code"),
        pl.lit(code, dtype=pl.String).alias("indicator_code"),
        pl.lit(None, dtype=pl.Float64).alias("numerator"),
        pl.col(column).cast(pl.Float64).alias("denominator"),
    )


def in_group(codes: tuple[str, ...] | list[str]) -> pl.Expr:
    """True for schools whose 办学类型代码 is one of ``codes``."""
    return pl.col("school_type_code").is_in(list(codes))


def area_expr(urban_rural: dict[str, str]) -> pl.Expr:
    """The school's area (urban / town / rural) from its 城乡分类代码; NULL for an unknown code."""
    return pl.col("urban_rural_code").replace_strict(urban_rural, default=None, return_dtype=pl.String)


def exact_sum(name: str) -> pl.Expr:
    """Σ of column ``name`` taken to DECIMALS and added as Int128 fixed point: exact, so independent of row order.

    NULLs add nothing; the result stays in fixed-point units (divide by FIXED_POINT).
    """
    return (pl.col(name) * FIXED_POINT).round().cast(pl.Int128).sum().alias(name)


def from_fixed_point(name: str) -> pl.Expr:
    """Fixed-point column ``name`` back to Float64."""
    return (pl.col(name).cast(pl.Float64) / FIXED_POINT).alias(name)


def stable_round(expr: pl.Expr, decimals: int = DECIMALS) -> pl.Expr:
    """``expr`` rounded to ``decimals``, with −0.0 written as 0.0 so equal values have equal bytes."""
    rounded = expr.round(decimals)
    # the first branch is ``rounded`` so the result keeps the input's column name
    return pl.when(rounded.is_null() | (rounded != 0)).then(rounded).otherwise(pl.lit(0.0))


def _float(expr: pl.Expr | None) -> pl.Expr:
    if expr is None:
        return pl.lit(None, dtype=pl.Float64)
    return expr.cast(pl.Float64)
