"""The refusal of a query by the guard: one exception, its message in English and Chinese."""

from __future__ import annotations


class RefusedQuery(Exception):
    """The statement is not a read the guard allows; the message says what was found, in Chinese and English."""


def refuse(english: str, chinese: str) -> RefusedQuery:
    """A RefusedQuery saying ``english`` / ``chinese`` after "refused:"."""
    return RefusedQuery(f"refused: {english} / 已拒绝：{chinese}")
