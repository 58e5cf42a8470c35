"""How far each sheet of an .xlsx reaches, judged from its XML before any reader builds the range.

A spreadsheet reader allocates one slot per cell of a sheet's range: a single cell at XFD1048576
(or a declared ``<dimension ref="A1:XFD1048576"/>``) asks for 17 billion of them, and the process
aborts. So every worksheet member is streamed once (the same pass that checks its checksum, bounded
by the zip limits checked before) and three things are measured without building anything:

- the declared dimension (``<dimension ref=…>``, near the start of the member);
- every explicit cell or row reference beyond the limits, found by a regex that matches only
  references *greater* than the limit (so a normal sheet yields no match at all);
- only when some rows or cells carry no ``r`` attribute (a reader then puts each after the
  previous one): every element placed as the reader would place it.

The limits bound rows and columns each, so the largest range a sheet can make a reader build is
``max_sheet_rows × max_sheet_columns`` cells.

Grain: one SheetExtent per worksheet member.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl

from config import Limits

_DIGITS = "0123456789"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

_CARRY_LIMIT = 1 << 20
"""Bytes of an unfinished tag kept for the next chunk; beyond this the chunk is scanned as it is."""


def _greater_than(text: str, alphabet: str) -> str:
    """Regex alternatives matching every string over ``alphabet`` that, read as a number, exceeds ``text``.

    Equal lengths compare digit by digit (this holds for decimal numbers without leading zeros and
    for Excel's bijective base-26 column letters alike); a longer string is always greater.
    """
    first = alphabet[1] if alphabet[0] == "0" else alphabet[0]
    options = [f"[{first}-{alphabet[-1]}][{alphabet[0]}-{alphabet[-1]}]{{{len(text)},}}"]
    for i, char in enumerate(text):
        position = alphabet.index(char)
        if position + 1 < len(alphabet):
            rest = len(text) - i - 1
            tail = f"[{alphabet[0]}-{alphabet[-1]}]{{{rest}}}" if rest else ""
            options.append(f"{re.escape(text[:i])}[{alphabet[position + 1]}-{alphabet[-1]}]{tail}")
    return "|".join(options)


def column_letters(count: int) -> str:
    """Excel letters of the ``count``-th column (1 → "A", 256 → "IV")."""
    letters = ""
    while count > 0:
        count, remainder = divmod(count - 1, 26)
        letters = _LETTERS[remainder] + letters
    return letters


def column_number(letters: str) -> int:
    """The 1-based column of Excel letters ("A" → 1, "XFD" → 16384)."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - ord("A") + 1
    return number


@lru_cache(maxsize=8)
def _beyond_pattern(max_rows: int, max_columns: int) -> str:
    """A reference (``r="…"``) whose row exceeds ``max_rows`` or whose column exceeds ``max_columns``."""
    rows = _greater_than(str(max_rows), _DIGITS)
    columns = _greater_than(column_letters(max_columns), _LETTERS)
    # The attribute must be ``r`` itself: ``operator="equal"`` (a data validation) ends in r="…" too.
    return f'(?i)\\sr="((?:[A-Z]*0*(?:{rows})|(?:{columns})[0-9]*))"'


_UNPLACED = r"<(?:\w+:)?(?:row|c)(?:\s*/?>|\s+[^r\s])"
"""A row or cell element whose first attribute is not its reference ``r`` (writers put ``r`` first when they write it)."""

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Za-z]*)(\d*)(?::([A-Za-z]*)(\d*))?"')
_REFERENCE = re.compile(rb"([A-Za-z]*)0*(\d*)")
_ELEMENT = re.compile(rb'<(/?)(?:\w+:)?(row|c)(?=[\s>/])([^>]*?)(/?)>')
_R_VALUE = re.compile(rb'\sr="([^"]*)"')


def _place(reference: bytes) -> tuple[int, int]:
    """(row, column) of a cell or row reference; 0 where a part is absent."""
    match = _REFERENCE.fullmatch(reference)
    if match is None:
        return 0, 0
    letters, digits = match.groups()
    return (int(digits) if digits else 0), (column_number(letters.decode()) if letters else 0)


@dataclass
class SheetExtent:
    """What one worksheet member declares and holds, measured while it streams by (see the module docstring)."""

    limits: Limits
    declared_rows: int = 0
    declared_columns: int = 0
    max_row: int = 0
    max_column: int = 0
    _carry: bytes = b""
    _is_first: bool = True
    _row: int = 0
    _column: int = 0
    _pattern: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._pattern = _beyond_pattern(self.limits.max_sheet_rows, self.limits.max_sheet_columns)

    def feed(self, chunk: bytes) -> None:
        """Measure the next decompressed bytes of the member."""
        data = self._carry + chunk
        end = data.rfind(b">") + 1
        if end == 0 and len(data) < _CARRY_LIMIT:
            self._carry = data
            return
        if end == 0:
            end = len(data)
        whole, self._carry = data[:end], data[end:]
        if self._is_first:
            self._is_first = False
            self._read_dimension(whole[:65536])
        self._measure(whole)

    def close(self) -> None:
        """Measure what is left of the member."""
        if self._carry:
            carry, self._carry = self._carry, b""
            self._measure(carry)

    def _read_dimension(self, head: bytes) -> None:
        match = _DIMENSION.search(head)
        if match is None:
            return
        first, last = match.group(1) + match.group(2), (match.group(3) or b"") + (match.group(4) or b"")
        rows, columns = zip(_place(first), _place(last or first), strict=True)
        self.declared_rows, self.declared_columns = max(rows), max(columns)

    def _measure(self, data: bytes) -> None:
        # Polars' regex engine (Rust, linear time) counts; Python only looks closer at a chunk that has something to show.
        text = pl.Series([data.decode("utf-8", "replace")])
        beyond, unplaced = (int(text.str.count_matches(pattern).item() or 0) for pattern in (self._pattern, _UNPLACED))
        if beyond:
            for match in re.finditer(self._pattern.encode(), data):
                row, column = _place(match.group(1))
                self.max_row, self.max_column = max(self.max_row, row), max(self.max_column, column)
        if unplaced:
            self._place_unplaced(data)
            return
        last = data.rfind(b'<row r="')
        if last >= 0:
            self._row = _place(data[last + 8 : data.find(b'"', last + 8)])[0]

    def _place_unplaced(self, data: bytes) -> None:
        """The slow path, for writers that omit ``r``: each row and cell placed as a reader places it (after the previous one)."""
        for closing, name, attributes, _ in _ELEMENT.findall(data):
            if closing:
                continue
            reference = _R_VALUE.search(b" " + attributes)
            row, column = _place(reference.group(1)) if reference else (0, 0)
            if name == b"row":
                self._row, self._column = (row or self._row + 1), 0
            else:
                self._column = column or self._column + 1
                self._row = row or self._row
            self.max_row, self.max_column = max(self.max_row, self._row), max(self.max_column, self._column)

    def refusal(self) -> dict[str, object] | None:
        """Message fields (rows, columns and the limits) when the sheet reaches beyond the limits; None when it fits."""
        limits = self.limits
        rows = max(self.declared_rows, self.max_row)
        columns = max(self.declared_columns, self.max_column)
        if rows <= limits.max_sheet_rows and columns <= limits.max_sheet_columns:
            return None
        return {
            "rows": f"{rows:,}",
            "columns": f"{columns:,}",
            "max_rows": f"{limits.max_sheet_rows:,}",
            "max_columns": f"{limits.max_sheet_columns:,}",
        }


_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*>')
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')
_RELATIONSHIP = re.compile(rb'<(?:\w+:)?Relationship\b[^>]*>')


def _attributes(tag: bytes) -> dict[str, str]:
    return {key.decode(): html.unescape(value.decode("utf-8", "replace")) for key, value in _ATTRIBUTE.findall(tag)}


def worksheet_names(workbook_xml: bytes, rels_xml: bytes) -> dict[str, str]:
    """Zip member → sheet name of every worksheet the workbook lists (from xl/workbook.xml and its relationships)."""
    targets: dict[str, str] = {}
    for tag in _RELATIONSHIP.findall(rels_xml):
        attributes = _attributes(tag)
        target = attributes.get("Target", "")
        if "Id" in attributes and target:
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[attributes["Id"]] = member
    names: dict[str, str] = {}
    for tag in _SHEET.findall(workbook_xml):
        attributes = _attributes(tag)
        relationship = next((value for key, value in attributes.items() if key.endswith(":id")), None)
        if relationship in targets and "name" in attributes:
            names[targets[relationship]] = attributes["name"]
    return names
