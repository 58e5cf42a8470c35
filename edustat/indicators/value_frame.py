"""The values frame every part of the engine returns: its columns, rounding and order."""

from __future__ import annotations

import polars as pl

from config import LEVEL_ORDER, Catalogue
from edustat.indicators.exact_sums import stable_round

VALUE_SCHEMA: dict[str, pl.DataType] = {
    "region_code": pl.String(),
    "region_level": pl.String(),
    "indicator_code": pl.String(),
    "value": pl.Float64(),
    "numerator": pl.Float64(),
    "denominator": pl.Float64(),
}
"""Columns of a values frame: one row per region per indicator."""

NUMBER_COLUMNS = ("value", "numerator", "denominator")


def finish_values(frame: pl.DataFrame | pl.LazyFrame, catalogue: Catalogue) -> pl.DataFrame:
    """``frame`` with exactly the value columns, numbers rounded, one row per region per indicator in a fixed order.

    Order: level from the top (country … county), region code, catalogue order of the indicator.
    """
    positions = pl.LazyFrame(
        {"indicator_code": list(catalogue.codes()), "_position": list(range(len(catalogue.indicators)))},
        schema={"indicator_code": pl.String, "_position": pl.Int64},
    )
    level_rank = {level: rank for rank, level in enumerate(LEVEL_ORDER)}
    return (
        frame.lazy()
        .select(pl.col(name).cast(dtype) for name, dtype in VALUE_SCHEMA.items())
        .with_columns(stable_round(pl.col(name)) for name in NUMBER_COLUMNS)
        .join(positions, on="indicator_code", how="left")
        .with_columns(
            pl.col("region_level")
            .replace_strict(level_rank, default=len(LEVEL_ORDER), return_dtype=pl.Int64)
            .alias("_level_rank")
        )
        .sort(["_level_rank", "region_code", "_position", "indicator_code"], nulls_last=True)
        .select(list(VALUE_SCHEMA))
        .collect()
    )
