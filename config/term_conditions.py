"""A catalogue term's ``where`` condition read from its text: ``COLUMN OP NUMBER``, ``COLUMN OP COLUMN``, ``COLUMN`` or
``not COLUMN`` (contract §4). A check's richer condition has its own grammar (config.check_conditions).
"""

from __future__ import annotations

import re

OPERATORS: tuple[str, ...] = (">=", "<=", "==", "!=", ">", "<")
"""Comparison operators a term's ``where`` may use (contract §4)."""

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_VALUE = rf"-?\d+(?:\.\d+)?|{_NAME}"
_FLAG = re.compile(rf"\s*(not\s+)?({_NAME})\s*")
_COMPARISONS = (
    re.compile(rf"\s*({_NAME})\s*([<>=!]+)\s*({_VALUE})\s*"),
    re.compile(rf"\s*({_NAME})\s+(\S+)\s+({_VALUE})\s*"),
)


def _comparison(text: str) -> tuple[str, str, str] | None:
    for pattern in _COMPARISONS:
        found = pattern.fullmatch(text)
        if found is not None:
            return found.group(1), found.group(2), found.group(3)
    return None


def parse_condition(text: str) -> dict[str, object] | None:
    """The fields of a Condition written as ``text``; None when it is not one of the four forms (an unknown operator included)."""
    flag = _FLAG.fullmatch(text)
    if flag is not None:
        return {"column": flag.group(2), "is_negated": flag.group(1) is not None}
    comparison = _comparison(text)
    if comparison is None or comparison[1] not in OPERATORS:
        return None
    column, operator, right = comparison
    if re.fullmatch(_NAME, right):
        return {"column": column, "operator": operator, "other_column": right}
    return {"column": column, "operator": operator, "number": float(right)}


def comparison_operator(text: str) -> str | None:
    """The operator of a ``COLUMN OP VALUE`` condition as written, known or not; None when ``text`` has no such shape."""
    comparison = _comparison(text)
    return None if comparison is None else comparison[1]
