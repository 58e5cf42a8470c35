"""Excel sheet names for the sheets of a rebuilt copy: legal, at most 31 characters, unique ignoring case."""

from __future__ import annotations

import re

MAX_SHEET_NAME_CHARS = 31
"""Excel refuses longer sheet names."""

_FORBIDDEN = re.compile(r"[\[\]:*?/\\'\x00-\x1f]")
# Excel reserves this name for its change-tracking sheet.
_RESERVED = {"history"}


class SheetNamer:
    """Hands out unique, legal sheet names, one per call; names already taken are never reused."""

    def __init__(self, taken: tuple[str, ...] = ()) -> None:
        """Start with ``taken`` names (e.g. the problems sheet) reserved."""
        self._taken = {name.casefold() for name in taken} | _RESERVED

    def claim(self, prefix: str, sheet: str = "") -> str:
        """A legal name ``prefix-sheet``; when too long the prefix is cut first (the sheet part names the table
        when the workbook comes back), and a counter ``(2)``, ``(3)``… makes it unique."""
        prefix, sheet = (_FORBIDDEN.sub("_", part).strip() for part in (prefix, sheet))
        counter = 1
        while True:
            suffix = f"({counter})" if counter > 1 else ""
            candidate = _fit(prefix, sheet, MAX_SHEET_NAME_CHARS - len(suffix)) + suffix
            if candidate.casefold() not in self._taken:
                self._taken.add(candidate.casefold())
                return candidate
            counter += 1


def _fit(prefix: str, sheet: str, room: int) -> str:
    """``prefix-sheet`` in at most ``room`` characters, cutting the prefix before the sheet."""
    if not prefix or not sheet:
        return (prefix or sheet or "Sheet")[:room]
    sheet = sheet[:room]
    prefix_room = room - len(sheet) - 1
    if prefix_room <= 0:
        return sheet
    return f"{prefix[:prefix_room].rstrip()}-{sheet}"
