"""English plurals for sentences users read ("1 error", "2 errors")."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``count`` and ``noun``, the noun in the plural unless the count is one ("1 error", "2 errors", "1 county", "3 counties")."""
    if count == 1:
        return f"{count} {noun}"
    if many is None:
        many = noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"
    return f"{count} {many}"
