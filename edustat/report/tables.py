"""The county table of a section: the subject region and each compared region, with this year's value, last year's and the change."""

from __future__ import annotations

from dataclasses import dataclass

from edustat.report.context import ReportContext
from edustat.report.numbers import change
from edustat.report.traced import Traced, TracedBuilder

MISSING = "—"
"""A cell without a value (NULL, or the year not loaded)."""


@dataclass(frozen=True)
class CountyTable:
    """A table of one row per region (the subject first) and three columns per indicator: this year, last year, change.

    Each value cell is a Traced string: its figure names the stored value (or the two values a change is made of)."""

    groups: tuple[tuple[str, int], ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    codes: tuple[str, ...] = ()
    """The indicator of each group after the first (the region column), in order."""


def _cells(context: ReportContext, code: str, region_code: str) -> tuple[str, str, str]:
    unit = context.indicators[code].unit
    current = context.values.get((region_code, code))
    previous = context.previous.get((region_code, code))
    this_year, last_year = context.source(code, region_code), context.previous_source(code, region_code)
    shown = TracedBuilder().figure(context.table_formatted(code, current), "value", this_year).build() if current is not None else Traced(MISSING)
    before = TracedBuilder().figure(context.table_formatted(code, previous), "previous", last_year).build() if previous is not None else Traced(MISSING)
    if current is not None and previous is not None and unit != "flag":
        moved = TracedBuilder().figure(change(current, previous, unit, context.table_decimals.get(unit)), "change", this_year, last_year).build()
    else:
        moved = Traced(MISSING)
    return shown, before, moved


def county_table(context: ReportContext, codes: tuple[str, ...]) -> CountyTable | None:
    """The table of ``codes`` (those in the catalogue) for the subject and the compared regions; None when there is nothing to show."""
    places = (context.subject, *context.children)
    # Columns of an indicator without any value this year or last would be dashes only.
    codes = tuple(
        c for c in codes
        if c in context.indicators
        and any(context.values.get((p.code, c)) is not None or context.previous.get((p.code, c)) is not None for p in places)
    )
    if not codes or not context.children:
        return None
    words = context.phrases.table
    lang = context.lang
    groups: list[tuple[str, int]] = [("", 1)]
    columns: list[str] = [words[f"region_{lang}"]]
    for code in codes:
        info = context.indicators[code]
        groups.append((info.name, 3))
        change_label = words[f"change_{lang}"]
        if info.unit == "percent":
            change_label += f"（{words['points_zh']}）" if lang == "zh" else f" ({words['points_en']})"
        columns += [str(context.year), str(context.year - 1), change_label]
    rows = []
    for place in places:
        row: list[str] = [place.name]
        for code in codes:
            row += _cells(context, code, place.code)
        rows.append(tuple(row))
    return CountyTable(groups=tuple(groups), columns=tuple(columns), rows=tuple(rows), codes=codes)


CELL_PADDING_PT = 8.0
"""Left and right cell margins together, points (Word's default 0.19 cm each, rounded up)."""
REGION_COLUMN_CHARACTERS = 7
"""The region column is at most this many CJK characters wide; a longer name wraps (积石山保安族东乡族撒拉族自治县)."""


def text_width(text: str, size: float) -> float:
    """Rough width in points of ``text`` at ``size``: CJK characters are square, digits and Latin about 0.6 as wide."""
    return sum(size if ord(char) > 0x2E80 else size * 0.6 for char in text)


def column_need(table: CountyTable, column: int, size: float) -> float:
    """Width in points a column needs at ``size``: its widest value on one line (bold, as the subject's row is, about a
    tenth wider); its header may wrap, to at most 4 CJK characters a line; region names wrap past REGION_COLUMN_CHARACTERS."""
    values = max((text_width(row[column], size) * 1.1 for row in table.rows), default=0.0)
    if column == 0:
        values = min(values, REGION_COLUMN_CHARACTERS * size)
    header = min(text_width(table.columns[column], size), 4 * size)
    return max(values, header, 2.5 * size) + CELL_PADDING_PT


def table_need(table: CountyTable, size: float) -> float:
    """Width in points the whole table needs at ``size`` (every column, none wrapping a value)."""
    return sum(column_need(table, column, size) for column in range(len(table.columns)))
