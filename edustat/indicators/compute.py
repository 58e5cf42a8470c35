"""One year's indicators: contributions, roll-up, balance and growth in one call."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from config.models import Catalogue, IndicatorKind, RegionTree, Rules
from edustat.indicators.aggregate import aggregate, ancestry_frame
from edustat.indicators.balance import balance_values
from edustat.indicators.balance import codes as balance_codes
from edustat.indicators.contributions import contribution_codes, contributions
from edustat.indicators.coverage import CatalogueCoverageError, check_catalogue_coverage
from edustat.indicators.growth import codes as growth_codes
from edustat.indicators.growth import growth
from edustat.indicators.values import finish_values
from edustat.staged import StagedTables


@dataclass(frozen=True)
class IndicatorResult:
    """The indicators of one year.

    values: one row per region per indicator (region_code, region_level, indicator_code, value,
    numerator, denominator), every level, every catalogue code.
    contributions: one row per school (or per county for population denominators) per indicator
    (county_code, school_code, indicator_code, numerator, denominator) — what each county's sums are made of.
    """

    values: pl.DataFrame
    contributions: pl.DataFrame


def implemented_codes(rules: Rules, catalogue: Catalogue) -> dict[str, IndicatorKind]:
    """Every code the engine computes under ``rules``, with its kind."""
    produced = contribution_codes(rules) | balance_codes(rules)
    return produced | growth_codes(catalogue, frozenset(produced))


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
    declared = implemented_codes(rules, catalogue)
    check_catalogue_coverage(catalogue, declared)
    contribution_frame = contributions(staged, rules).collect()
    undeclared = set(contribution_frame["indicator_code"].unique().to_list()) - set(declared)
    if undeclared:
        raise CatalogueCoverageError(f"contributions carry undeclared codes: {sorted(undeclared)}")
    ancestry = ancestry_frame(regions)
    current = pl.concat(
        [
            aggregate(contribution_frame, ancestry, catalogue),
            balance_values(staged, rules, regions.county_codes()),
        ]
    )
    values = pl.concat([current, growth(current, previous_values, catalogue)])
    return IndicatorResult(values=finish_values(values, catalogue), contributions=contribution_frame)
