"""Outliers (contract §3): values far from the school's own previous year or from its peers; warnings only."""

from __future__ import annotations

OUTLIER_RULES = ("outlier_previous_year", "outlier_peers")
"""Rule codes of the outlier warnings."""
