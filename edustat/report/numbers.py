"""Numbers as the report writes them: 95.42%, 82%, 75208.84万元, 增长15.81%, 降低2.77%, 3:7, 13.8个百分点."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DEFAULT_DECIMALS = 2
"""At most this many decimals, trailing zeros dropped (95.42, 82, 13809.6)."""

DECIMALS_BY_UNIT = {"coefficient": 3}
"""Units shown more finely: a CV of 0.453 must not read as 0.45, the limit."""

_ATTACHED_EN_UNITS = frozenset({"%", ":1", ""})
"""English units written right after the number (95.42%, 15.2:1); others take a space (12 persons)."""


def rounded(value: float, places: int = DEFAULT_DECIMALS) -> Decimal:
    """``value`` rounded half away from zero to ``places`` decimals, as Excel and the report's authors round."""
    result = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return result if result != 0 else Decimal(0)


def plain(value: float | Decimal, places: int = DEFAULT_DECIMALS) -> str:
    """The number with at most ``places`` decimals and no trailing zeros or thousands separators (82.0 → "82", 75208.84 → "75208.84")."""
    number = value if isinstance(value, Decimal) else rounded(value, places)
    text = f"{number.normalize():f}"
    return "0" if text in ("-0", "0") else text


def with_unit(value: float, unit: str, unit_zh: str, unit_en: str, lang: str) -> str:
    """The value with its unit as the report writes it: 95.42%, 75208.84万元, 15.2:1 (zh); 75208.84 10k yuan (en)."""
    if unit == "flag":
        return yes_no(value, lang)
    number = plain(value, DECIMALS_BY_UNIT.get(unit, DEFAULT_DECIMALS))
    if lang == "zh":
        return number + unit_zh
    return number + unit_en if unit_en in _ATTACHED_EN_UNITS else f"{number} {unit_en}"


def fixed(value: float, places: int, unit_text: str, lang: str) -> str:
    """The value with exactly ``places`` decimals and its unit, as a table column writes it (73.00%, 13809.60万元)."""
    number = format(rounded(value, places), f".{places}f")
    if lang == "zh" or unit_text in _ATTACHED_EN_UNITS:
        return number + unit_text
    return f"{number} {unit_text}"


def yes_no(value: float, lang: str) -> str:
    """A 0/1 flag: 是/否, yes/no."""
    is_yes = value >= 0.5
    if lang == "zh":
        return "是" if is_yes else "否"
    return "yes" if is_yes else "no"


def growth(value: float, lang: str) -> str:
    """A growth rate in percent as words: 增长15.81% / 降低2.77% / 持平 (up 15.81% / down 2.77% / unchanged)."""
    number = rounded(value)
    if number == 0:
        return "持平" if lang == "zh" else "unchanged"
    if lang == "zh":
        return f"{'增长' if number > 0 else '降低'}{plain(abs(number))}%"
    return f"{'up' if number > 0 else 'down'} {plain(abs(number))}%"


def share_ratio(share_percent: float) -> str:
    """A share of 100 written as x:y out of 10, the way 职普比 is written (30 → "3:7", 35 → "3.5:6.5")."""
    first = rounded(share_percent / 10, 1)
    return f"{plain(first, 1)}:{plain(Decimal(10) - first, 1)}"


def gap_below(target: float, value: float) -> Decimal:
    """How far the value as written falls below ``target`` (95 − 81.2 = 13.8), from the rounded figures so the sentence adds up."""
    return rounded(target) - rounded(value)


def points(gap: Decimal, lang: str) -> str:
    """A difference of percentages: 13.8个百分点 / 13.8 percentage points."""
    return f"{plain(gap)}个百分点" if lang == "zh" else f"{plain(gap)} percentage points"


def change(current: float, previous: float, unit: str, fixed_places: int | None = None) -> str:
    """The change against last year for a table cell, signed: +2.1 (percentage points for percent units), −0.35;
    with ``fixed_places`` exactly that many decimals (+2.10, 0.00), the difference of the values as the table writes them."""
    places = DECIMALS_BY_UNIT.get(unit, DEFAULT_DECIMALS) if fixed_places is None else fixed_places
    difference = rounded(current, places) - rounded(previous, places)
    if fixed_places is not None:
        return ("+" if difference > 0 else "−" if difference < 0 else "") + format(abs(difference), f".{places}f")
    if difference == 0:
        return "0"
    return ("+" if difference > 0 else "−") + plain(abs(difference), places)
