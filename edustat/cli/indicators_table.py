"""The current values as the `indicators` command shows them, beside the published figures."""

from __future__ import annotations

import polars as pl

from config.models import Catalogue
from edustat.figures import matches_published, published

DISPLAY_DECIMALS = 2
"""Decimals shown on the terminal; exports keep full precision."""


def published_columns(values: pl.DataFrame, catalogue: Catalogue, year: int) -> pl.DataFrame:
    """Add `published` (the report's figure) and `matches` to the rows of the report's region and year."""
    by_code = catalogue.by_code()
    is_report = year == catalogue.report_year
    rows = values.select("region_code", "indicator_code", "value").to_dicts()
    figures, matches = [], []
    for row in rows:
        indicator = by_code.get(row["indicator_code"])
        applies = is_report and indicator is not None and row["region_code"] == catalogue.report_region
        figures.append(published(indicator) if applies else None)
        matches.append(matches_published(row["value"], indicator) if applies else None)
    return values.with_columns(
        published=pl.Series(figures, dtype=pl.String), matches=pl.Series(matches, dtype=pl.Boolean)
    )


def display_frame(values: pl.DataFrame, lang: str = "zh") -> pl.DataFrame:
    """The terminal view, one row per region × indicator: region, code, name and unit in ``lang`` (zh or en), value rounded for reading, published figure, match, and what an incomplete region misses."""
    return values.select(
        pl.col(f"region_name_{lang}").alias("region"),
        pl.col("indicator_code").alias("code"),
        pl.col(f"indicator_name_{lang}").alias("名称" if lang == "zh" else "name"),
        pl.col("value").round(DISPLAY_DECIMALS),
        pl.col(f"unit_{lang}").alias("unit"),
        pl.col("published").alias("report"),
        pl.when(pl.col("matches")).then(pl.lit("✓")).when(pl.col("matches").not_()).then(pl.lit("✗")).alias("match"),
        # An incomplete region's values are computed over the counties and schools that reported: never final.
        pl.when(pl.col("is_complete").not_()).then(pl.concat_str(pl.lit("incomplete 不完整: "), pl.col("completeness"))).alias("completeness"),
    )
