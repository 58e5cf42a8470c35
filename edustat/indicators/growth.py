"""Growth indicators: this year's value of a base indicator against the previous year's."""

from __future__ import annotations

import polars as pl

from config import Catalogue, IndicatorKind
from edustat.indicators.value_frame import VALUE_SCHEMA, finish_values


def codes(catalogue: Catalogue, implemented: set[str] | frozenset[str]) -> dict[str, IndicatorKind]:
    """Growth codes of the catalogue whose base indicator is implemented."""
    return {i.code: "growth" for i in catalogue.indicators if i.kind == "growth" and i.base in implemented}


def growth(current: pl.DataFrame, previous: pl.DataFrame | None, catalogue: Catalogue) -> pl.DataFrame:
    """One row per region of ``current`` per growth indicator of the catalogue.

    value = scale × (this year's base value / previous year's − 1); numerator = this year's base value,
    denominator = previous year's. NULL value when the previous year has no row, a NULL or a 0 for that
    region, or this year's base value is NULL. ``current`` and ``previous`` are values frames (region_code,
    region_level, indicator_code, value, …); ``previous`` is None or empty when that year is not loaded.
    """
    indicators = [i for i in catalogue.indicators if i.kind == "growth"]
    specs = pl.LazyFrame(
        {
            "indicator_code": [i.code for i in indicators],
            "base_code": [i.base for i in indicators],
            "scale": [float(i.scale) for i in indicators],
        },
        schema={"indicator_code": pl.String, "base_code": pl.String, "scale": pl.Float64},
    )
    if previous is None:
        previous = pl.DataFrame(schema=VALUE_SCHEMA)
    this_year = current.lazy().select(
        pl.col("region_code").cast(pl.String),
        pl.col("indicator_code").cast(pl.String).alias("base_code"),
        pl.col("value").cast(pl.Float64).alias("numerator"),
    )
    last_year = (
        previous.lazy().select(
            pl.col("region_code").cast(pl.String),
            pl.col("indicator_code").cast(pl.String).alias("base_code"),
            pl.col("value").cast(pl.Float64).alias("denominator"),
        )
    )
    regions = current.lazy().select(pl.col("region_code", "region_level").cast(pl.String)).unique()
    rows = (
        regions.join(specs, how="cross")
        .join(this_year, on=["region_code", "base_code"], how="left")
        .join(last_year, on=["region_code", "base_code"], how="left")
        .with_columns(
            pl.when(pl.col("denominator") != 0)
            .then(pl.col("scale") * (pl.col("numerator") / pl.col("denominator") - 1))
            .alias("value")
        )
    )
    return finish_values(rows, catalogue)
