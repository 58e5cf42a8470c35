"""Small exact-arithmetic helpers that make generated totals hit the report's figures."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

from edustat.sample import profile
from schemas.catalogue import load_catalogue


def split_total(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split into integers proportional to ``weights`` (largest remainder); one int per weight.

    Zero weights get zero; the parts always add up to ``total``.
    """
    if not weights:
        return []
    weight_sum = float(sum(weights))
    if weight_sum <= 0:
        parts = [0] * len(weights)
        parts[0] = total
        return parts
    raw = [total * w / weight_sum for w in weights]
    parts = [math.floor(r) for r in raw]
    rest = total - sum(parts)
    # Ties go to the earlier row, so equal inputs give equal outputs.
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - parts[i]) if weights[i] > 0 else 1.0, i))
    for i in order[: max(rest, 0)]:
        parts[i] += 1
    return parts


def decimals_of(figure: float) -> int:
    """Decimals the report shows for ``figure`` (95.42 → 2, 81.2 → 1, 73.0 → 0)."""
    text = repr(float(figure))
    if "e" in text or text.endswith(".0"):
        return 0
    return len(text.split(".")[1])


def rounds_to(value: float, figure: float) -> bool:
    """True when ``value`` shown at the figure's precision equals ``figure``."""
    return round(value, decimals_of(figure)) == round(figure, decimals_of(figure))


def count_for_rate(n: int, percent: float) -> int:
    """How many of ``n`` schools make ``100 × k / n`` closest to ``percent`` (preferring a k that rounds right)."""
    if n <= 0:
        return 0
    candidates = range(max(0, math.floor(n * percent / 100) - 2), min(n, math.ceil(n * percent / 100) + 2) + 1)
    return min(candidates, key=lambda k: (not rounds_to(100 * k / n, percent), abs(100 * k / n - percent), k))


def total_for_share(part: int, percent: float) -> int:
    """The whole denominator that makes ``100 × part / total`` closest to ``percent`` (preferring one that rounds right)."""
    if part <= 0 or percent <= 0:
        return max(part, 0)
    guess = round(100 * part / percent)
    candidates = range(max(1, guess - 3), guess + 4)
    return min(candidates, key=lambda t: (not rounds_to(100 * part / t, percent), abs(100 * part / t - percent), t))


@lru_cache(maxsize=1)
def report_figures() -> dict[str, float]:
    """Every report figure of the indicator catalogue: indicator code → figure (one entry per code with one)."""
    figures = {i.code: i.report for i in load_catalogue().indicators if i.report is not None}
    for indicator in load_catalogue().indicators:
        text = indicator.report_text or ""
        if indicator.report is None and text.startswith("<"):
            figures[f"{indicator.code}_below"] = float(text.strip("<%"))
    return figures


def target(code: str, year: int) -> float:
    """The rate (percent) the sample aims at for ``code`` in ``year``: the report figure, trended off-year."""
    figure = report_figures()[code]
    shift = profile.TARGET_TRENDS.get(code, 0.0) * (year - profile.REPORT_YEAR)
    if shift == 0:
        return figure
    cap = 100.0 if figure >= 100 else profile.TARGET_CAP
    return round(min(max(figure + shift, 0.0), cap), 2)
