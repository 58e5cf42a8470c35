"""Names of the working columns of a sheet body while it is converted: raw inputs, as-written copies, other columns, sheet key."""

from __future__ import annotations

SHEET_KEY = "__sheet"
"""Column numbering the (source_file, source_sheet) pairs of a stack: the same pair as a small integer, cheap to filter on."""


def input_column(name: str) -> str:
    """Name of the raw String column that holds contract column ``name`` in a sheet body."""
    return f"__in_{name}"


def raw_column(name: str) -> str:
    """Name of the trimmed as-written copy of contract column ``name`` that issues quote."""
    return f"__raw_{name}"


def other_column(index: int) -> str:
    """Name of a sheet column that maps to no contract column; kept only to spot total rows."""
    return f"__other_{index}"
