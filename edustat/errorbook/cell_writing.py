"""Put any source value into an openpyxl cell without ever raising, keeping text as text."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

MAX_CELL_CHARS = 32_767
"""Excel's limit on the text of one cell (and one comment)."""

_NATIVE = (bool, int, Decimal, dt.datetime, dt.date, dt.time, dt.timedelta)


def safe_text(value: str) -> str:
    """Text Excel accepts: control characters dropped, cut to Excel's cell limit."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_CHARS]


def _excel_value(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return None if value is None else safe_text(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if isinstance(value, dt.time) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if isinstance(value, _NATIVE):
        return value
    return safe_text(str(value))


def set_cell(cell: Cell, value: Any) -> None:
    """Write ``value`` into ``cell``; text stays text even when it looks like a formula (=…) or an error (#N/A)."""
    excel = _excel_value(value)
    cell.value = excel
    if isinstance(excel, str):
        cell.data_type = "s"
