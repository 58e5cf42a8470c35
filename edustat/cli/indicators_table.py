"""The current values as the `indicators` command shows them, beside the published figures; the catalogue as `--catalogue` lists it."""

from __future__ import annotations

import polars as pl

from config import Catalogue, Rules
from edustat.figures import matches_published, published
from schemas.catalogue.definitions import definition

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
        # A partial region's cover its listed children only (its name says which): never the region's own.
        pl.when(pl.col("is_partial").fill_null(False))
        .then(pl.lit(PARTIAL_NOTE[lang]))
        .when(pl.col("is_complete").not_())
        .then(pl.concat_str(pl.lit("incomplete 不完整: "), pl.col("completeness")))
        .alias("completeness"),
    )


PARTIAL_NOTE = {"zh": "partial 部分覆盖", "en": "partial 部分覆盖"}
"""The completeness cell of a partial region (contract §1 "Partial regions")."""


def catalogue_listing(catalogue: Catalogue, rules: Rules) -> pl.DataFrame:
    """One row per indicator code, in catalogue order: section, kind, levels, unit, names and definition in words (zh, en).

    The definition of a ratio, sum or count is written from its terms, so it says what the engine computes.
    """
    rows = [
        {
            "indicator_code": i.code,
            "section": i.section,
            "kind": i.kind,
            "levels": i.levels,
            "unit": i.unit,
            "unit_zh": i.unit_zh,
            "unit_en": i.unit_en,
            "name_zh": i.name_zh,
            "name_en": i.name_en,
            "definition_zh": definition(i, rules, "zh"),
            "definition_en": definition(i, rules, "en"),
        }
        for i in catalogue.indicators
    ]
    return pl.DataFrame(rows, schema=dict.fromkeys(CATALOGUE_COLUMNS, pl.String), orient="row")


CATALOGUE_COLUMNS = (
    "indicator_code", "section", "kind", "levels", "unit", "unit_zh", "unit_en", "name_zh", "name_en", "definition_zh", "definition_en",
)  # fmt: skip
"""Columns of ``catalogue_listing``."""


def catalogue_display(listing: pl.DataFrame, lang: str = "zh") -> pl.DataFrame:
    """The terminal view of ``catalogue_listing``: code, kind, unit, name and definition in ``lang`` (zh or en), one row per code."""
    return listing.select(
        pl.col("indicator_code").alias("code"),
        "kind",
        pl.col(f"unit_{lang}").alias("unit"),
        pl.col(f"name_{lang}").alias("名称" if lang == "zh" else "name"),
        pl.col(f"definition_{lang}").alias("定义" if lang == "zh" else "definition"),
    )
