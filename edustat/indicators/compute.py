"""One year's indicators: the catalogue's terms summed per county and rolled up, balance and growth, in one call."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from config import TERM_KINDS, Catalogue, IndicatorKind, RegionTree, Rules
from edustat.indicators.aggregate import ancestry_frame, roll_up, to_fixed_point
from edustat.indicators.balance import balance_values
from edustat.indicators.balance import codes as balance_codes
from edustat.indicators.coverage import check_catalogue_coverage
from edustat.indicators.growth import codes as growth_codes
from edustat.indicators.growth import growth
from edustat.indicators.term_sums import term_county_sums
from edustat.indicators.terms import compile_terms
from edustat.indicators.value_frame import finish_values
from schemas.staged import StagedTables


@dataclass(frozen=True)
class IndicatorResult:
    """The indicators of one year.

    values: one row per region per indicator (region_code, region_level, indicator_code, value,
    numerator, denominator), every level, every catalogue code. The school contributions behind a
    value are not kept: ``edustat.indicators.trace`` recomputes them from the stored school rows.
    """

    values: pl.DataFrame


def implemented_codes(rules: Rules, catalogue: Catalogue) -> dict[str, IndicatorKind]:
    """Every code the engine computes under ``rules``, with its kind: the catalogue's codes defined by terms, balance, growth."""
    produced: dict[str, IndicatorKind] = {i.code: i.kind for i in compile_terms(catalogue).indicators} | balance_codes(catalogue, rules)
    return produced | growth_codes(catalogue, frozenset(produced))


def checked_county_sums(staged: StagedTables, rules: Rules, catalogue: Catalogue, counties: Iterable[str] | None = None) -> pl.DataFrame:
    """Exact Σ numerator and Σ denominator per county per ratio, sum and count code (``term_county_sums``), of ``counties`` when given.

    Checks first that the catalogue and the engine agree both ways (every code has its terms or a
    built-in kind). The per-school amounts are summed as they stream by and never held whole.
    """
    check_catalogue_coverage(catalogue, implemented_codes(rules, catalogue))
    return term_county_sums(staged, rules, catalogue, counties).collect()


def compute_indicators(
    staged: StagedTables,
    regions: RegionTree,
    rules: Rules,
    catalogue: Catalogue,
    previous_values: pl.DataFrame | None = None,
) -> IndicatorResult:
    """Every catalogue indicator for every region of ``regions``: one row per region per indicator.

    ``previous_values`` is the previous year's values frame (None when that year is not loaded);
    only its region_code, indicator_code and value are read, for the growth indicators.
    Raises CatalogueCoverageError when the catalogue and the implementation disagree.
    """
    ancestry = ancestry_frame(regions)
    current = pl.concat(
        [
            roll_up(checked_county_sums(staged, rules, catalogue), ancestry, catalogue),
            balance_values(staged, rules, regions.county_codes(), catalogue),
        ]
    )
    values = pl.concat([current, growth(current, previous_values, catalogue)])
    return IndicatorResult(values=finish_values(values, catalogue))


def compute_correction(
    staged: StagedTables,
    counties: Iterable[str],
    stored_county_values: pl.DataFrame,
    regions: RegionTree,
    rules: Rules,
    catalogue: Catalogue,
    previous_values: pl.DataFrame | None = None,
) -> IndicatorResult:
    """Every indicator of the year after a correction that touched only ``counties``: the same values a full run gives.

    ``staged`` holds every row of the corrected counties (and nothing else is read from it);
    ``stored_county_values`` the year's current county-level values (region_code, indicator_code,
    value, numerator, denominator), which stand for every other county. County sums are exact fixed
    point, so rolling the stored sums up with the recomputed ones gives each prefecture, province and
    the country byte for byte what summing every school would.
    """
    corrected = sorted(set(counties))
    kinds = {i.code: i.kind for i in catalogue.indicators}
    others = stored_county_values.filter(~pl.col("region_code").is_in(corrected)).with_columns(
        pl.col("indicator_code").replace_strict(kinds, default=None, return_dtype=pl.String).alias("kind")
    )
    sums = pl.concat(
        [
            checked_county_sums(staged, rules, catalogue, corrected).lazy(),
            to_fixed_point(others.filter(pl.col("kind").is_in(TERM_KINDS))),
        ]
    )
    stored_balance = others.filter(pl.col("kind") == "balance").select(
        "region_code", pl.lit("county").alias("region_level"), "indicator_code", "value", "numerator", "denominator"
    )
    current = pl.concat(
        [
            roll_up(sums, ancestry_frame(regions), catalogue),
            balance_values(staged, rules, corrected, catalogue),
            finish_values(stored_balance, catalogue),
        ]
    )
    values = pl.concat([current, growth(current, previous_values, catalogue)])
    return IndicatorResult(values=finish_values(values, catalogue))
