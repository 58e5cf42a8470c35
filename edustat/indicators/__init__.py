"""The indicator engine (contract §4): pure Polars functions from staged tables to values per region."""

from edustat.indicators.aggregate import aggregate, ancestry_frame
from edustat.indicators.balance import balance_school_values, balance_values, weighted_cv
from edustat.indicators.compute import IndicatorResult, compute_correction, compute_indicators, implemented_codes
from edustat.indicators.coverage import CatalogueCoverageError, check_catalogue_coverage
from edustat.indicators.value_frame import VALUE_SCHEMA

__all__ = [
    "VALUE_SCHEMA",
    "CatalogueCoverageError",
    "IndicatorResult",
    "aggregate",
    "ancestry_frame",
    "balance_school_values",
    "balance_values",
    "check_catalogue_coverage",
    "compute_correction",
    "compute_indicators",
    "implemented_codes",
    "weighted_cv",
]
