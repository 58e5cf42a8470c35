"""Exact sums and stable rounding of the indicator engine: numbers taken to DECIMALS and added as fixed point."""

from __future__ import annotations

import polars as pl

DECIMALS = 6
"""Decimals kept in contributions, values, numerators and denominators.

Float sums depend on the order in which threads add the rows. Contributions are rounded to this
many decimals and summed exactly as fixed-point integers, and results are rounded again, so two runs
over the same input are byte-for-byte equal. Kept here, not in config/rules.toml, because
config.rules.Rules does not (yet) have a field for it.
"""

FIXED_POINT = 10**DECIMALS
"""Units per 1 in the fixed-point (Int128) sums of contributions."""


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
