"""Σ numerator / Σ denominator at every level: contributions rolled up to each county and its ancestors."""

from __future__ import annotations

import polars as pl

from config import TERM_KINDS, Catalogue, RegionTree
from edustat.indicators.exact_sums import FIXED_POINT, exact_sum, from_fixed_point
from edustat.indicators.value_frame import finish_values

CONTRIBUTION_SCHEMA: dict[str, pl.DataType] = {
    "county_code": pl.String(),
    "school_code": pl.String(),
    "indicator_code": pl.String(),
    "numerator": pl.Float64(),
    "denominator": pl.Float64(),
}
"""Columns of a contribution frame: one row per school (or per county for population rows) per indicator."""

ANCESTRY_SCHEMA = {"county_code": pl.String, "region_code": pl.String, "region_level": pl.String}


def ancestry_frame(regions: RegionTree) -> pl.DataFrame:
    """One row per county per region it rolls up into, the county itself included."""
    return pl.DataFrame(regions.ancestry(), schema=ANCESTRY_SCHEMA, orient="row")


def _specs(catalogue: Catalogue) -> pl.LazyFrame:
    indicators = [i for i in catalogue.indicators if i.kind in TERM_KINDS]
    return pl.LazyFrame(
        {
            "indicator_code": [i.code for i in indicators],
            "kind": [i.kind for i in indicators],
            "scale": [float(i.scale) for i in indicators],
            "is_county_only": [i.levels == "county" for i in indicators],
        },
        schema={"indicator_code": pl.String, "kind": pl.String, "scale": pl.Float64, "is_county_only": pl.Boolean},
    )


def county_sums(contributions: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """Σ numerator and Σ denominator per county per indicator, exact, in fixed-point units (Int128): one row per county per code."""
    return contributions.lazy().group_by("county_code", "indicator_code").agg(exact_sum("numerator"), exact_sum("denominator"))


def to_fixed_point(values: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """County values as stored (numerator, denominator in Float64) back to the fixed-point sums they were made from.

    Exact while a county's sum is below 2**31 (n below 2**31 × FIXED_POINT): rounding ``x × FIXED_POINT``
    of the stored double ``n / FIXED_POINT`` then gives n back. One row per county per code, as ``county_sums`` returns.
    """
    return values.lazy().select(
        pl.col("region_code").alias("county_code"),
        "indicator_code",
        *((pl.col(name) * FIXED_POINT).round().cast(pl.Int128).alias(name) for name in ("numerator", "denominator")),
    )


def aggregate(
    contributions: pl.DataFrame | pl.LazyFrame, ancestry: pl.DataFrame | pl.LazyFrame, catalogue: Catalogue
) -> pl.DataFrame:
    """One row per region of ``ancestry`` per ratio, sum and count indicator of the catalogue.

    Sums are exact (fixed point at DECIMALS), so the result does not depend on row order.
    ratio: value = scale × Σ numerator / Σ denominator, NULL when Σ denominator is 0 (no rows included);
    numerator and denominator are the sums (0 over no rows).
    sum, count: value = numerator = Σ numerator (0 over no rows); denominator NULL.
    County-only indicators appear at county level only. Contribution rows of counties outside
    ``ancestry`` and codes outside the catalogue are ignored.
    """
    return roll_up(county_sums(contributions), ancestry, catalogue)


def roll_up(sums_by_county: pl.DataFrame | pl.LazyFrame, ancestry: pl.DataFrame | pl.LazyFrame, catalogue: Catalogue) -> pl.DataFrame:
    """``aggregate`` from counties' fixed-point sums (``county_sums``, ``term_county_sums``): one row per region of ``ancestry`` per ratio, sum and count code."""
    ancestry = ancestry.lazy()
    # Summing to counties first makes the join to the ancestors cheap (thousands of rows, not millions).
    sums = (
        sums_by_county.lazy()
        .join(ancestry.select("county_code", "region_code"), on="county_code", how="inner")
        .group_by("region_code", "indicator_code")
        .agg(pl.col("numerator").sum(), pl.col("denominator").sum())
        .with_columns(from_fixed_point("numerator"), from_fixed_point("denominator"))
    )
    grid = (
        ancestry.select("region_code", "region_level")
        .unique()
        .join(_specs(catalogue), how="cross")
        .filter(~pl.col("is_county_only") | (pl.col("region_level") == "county"))
    )
    is_ratio = pl.col("kind") == "ratio"
    numerator = pl.col("numerator").fill_null(0.0)
    denominator = pl.col("denominator").fill_null(0.0)
    rolled = (
        grid.join(sums, on=["region_code", "indicator_code"], how="left")
        .with_columns(numerator.alias("numerator"), pl.when(is_ratio).then(denominator).alias("denominator"))
        .with_columns(
            pl.when(~is_ratio)
            .then(pl.col("numerator"))
            .when(pl.col("denominator") != 0)
            .then(pl.col("scale") * pl.col("numerator") / pl.col("denominator"))
            .alias("value")
        )
    )
    return finish_values(rolled, catalogue)
