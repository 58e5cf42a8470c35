"""Published figures: how precise they are, and whether a computed value matches one."""

from __future__ import annotations

import re
from decimal import Decimal

from config import Indicator

_BELOW = re.compile(r"^<\s*(?P<bound>\d+(?:\.\d+)?)\s*%?$")


def decimals_of(figure: float) -> int:
    """Decimal places a published figure shows (95.42 → 2, 82 → 0, 13809.6 → 1)."""
    exponent = Decimal(repr(figure)).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def published(indicator: Indicator) -> str | None:
    """The published figure as the report writes it, or None."""
    if indicator.report_text:
        return indicator.report_text
    if indicator.report is None:
        return None
    return f"{indicator.report:.{decimals_of(indicator.report)}f}"


def matches_published(value: float | None, indicator: Indicator) -> bool | None:
    """Whether ``value`` reproduces the published figure at its precision; None when nothing is published."""
    if indicator.report_text:
        bound = _BELOW.match(indicator.report_text)
        return None if bound is None else value is not None and value < float(bound["bound"])
    if indicator.report is None:
        return None
    if value is None:
        return False
    # Round half away from zero, as Excel and the report's authors do.
    places = decimals_of(indicator.report)
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP")
    return rounded == Decimal(repr(indicator.report)).quantize(Decimal(1).scaleb(-places))
