"""Inline SVG bar charts: one horizontal bar per compared region, with target lines and the subject's value as reference lines."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from edustat.report.context import ReportContext

WIDTH = 760
LABEL_WIDTH = 230
VALUE_WIDTH = 110
TOP = 72
LABEL_ROWS_Y = (34, 48, 62)
"""Baselines of the rows that line labels go on, above the bars."""
BAR_HEIGHT = 20
BAR_GAP = 10
BOTTOM = 12
FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif"
BAR_COLOUR = "#3b6ea5"
BELOW_TARGET_COLOUR = "#d9822b"
TARGET_COLOUR = "#c53030"
REFERENCE_COLOUR = "#4a5568"


@dataclass(frozen=True)
class Bar:
    """One region's bar: its name, value (None draws no bar) and the value as written."""

    label: str
    value: float | None
    text: str
    region_code: str = ""


@dataclass(frozen=True)
class Line:
    """A vertical reference line (a target, or the subject region's value) and its label."""

    label: str
    value: float
    is_target: bool


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above ``value`` (> 0): a round right end for the axis."""
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10**exponent
        if candidate >= value * (1 - 1e-12):
            return candidate
    return 10 ** (exponent + 1)


def label_width(text: str) -> float:
    """Rough width in pixels of a 12 px label: CJK characters are square, others about half as wide."""
    return sum(12.0 if ord(char) > 0x2E80 else 7.0 for char in text)


def label_rows(spans: list[tuple[float, float]]) -> list[int]:
    """For labels centred at x with a width, the row each takes: the first row where it clears the labels already there."""
    placed: list[list[tuple[float, float]]] = [[] for _ in LABEL_ROWS_Y]
    rows: list[int] = []
    for centre, width in spans:
        left, right = centre - width / 2 - 4, centre + width / 2 + 4
        row = next(
            (r for r, taken in enumerate(placed) if all(right <= a or left >= b for a, b in taken)),
            len(rows) % len(LABEL_ROWS_Y),
        )
        placed[row].append((left, right))
        rows.append(row)
    return rows


def bar_chart(title: str, bars: list[Bar], lines: list[Line], chart_id: str) -> str:
    """An SVG of one bar per entry of ``bars`` (a rect of class "bar" each, when it has a value) with ``lines`` drawn across."""
    numbers = [b.value for b in bars if b.value is not None] + [line.value for line in lines]
    low = min([0.0, *numbers])
    high = max([0.0, *numbers])
    high = nice_ceiling(high) if high > 0 else (0.0 if low < 0 else 1.0)
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    targets = [line.value for line in lines if line.is_target]

    def _x(value: float) -> float:
        return LABEL_WIDTH + (value - low) / (high - low) * plot_width

    height = TOP + len(bars) * (BAR_HEIGHT + BAR_GAP) + BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" font-family="{FONT}" font-size="13">',
        f"<title>{escape(title)}</title>",
        f'<text class="chart-title" x="0" y="18" font-size="15" font-weight="bold" fill="#1a202c">{escape(title)}</text>',
    ]
    zero = _x(0.0)
    for index, bar in enumerate(bars):
        y = TOP + index * (BAR_HEIGHT + BAR_GAP)
        middle = y + BAR_HEIGHT / 2 + 4.5
        parts.append(f'<text class="bar-label" x="{LABEL_WIDTH - 8}" y="{middle:.1f}" text-anchor="end" fill="#1a202c">{escape(bar.label)}</text>')
        if bar.value is None:
            parts.append(f'<text class="bar-value" x="{LABEL_WIDTH + 4}" y="{middle:.1f}" fill="#718096">{escape(bar.text)}</text>')
            continue
        end = _x(bar.value)
        is_below = any(bar.value < t for t in targets)
        colour = BELOW_TARGET_COLOUR if is_below else BAR_COLOUR
        css = "bar below-target" if is_below else "bar"
        parts.append(
            f'<rect class="{css}" data-region="{escape(bar.region_code)}" x="{min(zero, end):.2f}" y="{y}" '
            f'width="{abs(end - zero):.2f}" height="{BAR_HEIGHT}" fill="{colour}"><title>{escape(bar.label)}: {escape(bar.text)}</title></rect>'
        )
        parts.append(f'<text class="bar-value" x="{max(zero, end) + 4:.2f}" y="{middle:.1f}" fill="#1a202c">{escape(bar.text)}</text>')
    bottom = height - BOTTOM + 4
    rows = label_rows([(_x(line.value), label_width(line.label)) for line in lines])
    for line, row in zip(lines, rows):
        at = _x(line.value)
        colour = TARGET_COLOUR if line.is_target else REFERENCE_COLOUR
        dash = ' stroke-dasharray="6 4"' if line.is_target else ""
        css = "target-line" if line.is_target else "reference-line"
        label_y = LABEL_ROWS_Y[row]
        anchor = "middle"
        parts.append(f'<line class="{css}" x1="{at:.2f}" y1="{TOP - 8}" x2="{at:.2f}" y2="{bottom}" stroke="{colour}" stroke-width="2"{dash}/>')
        parts.append(f'<text class="{css}-label" x="{at:.2f}" y="{label_y}" text-anchor="{anchor}" font-size="12" fill="{colour}">{escape(line.label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def indicator_chart(context: ReportContext, code: str) -> str | None:
    """The chart of ``code`` comparing the subject's regions, with its targets (config/rules.toml) and the subject's value; None without any value."""
    if code not in context.indicators or not context.children:
        return None
    bars = []
    for child in context.children:
        value = context.value(code, child.code)
        bars.append(Bar(child.name, value, context.formatted(code, value) if value is not None else "—", child.code))
    if all(bar.value is None for bar in bars):
        return None
    lines = [
        Line(f"{context.phrases.targets.get(scope, {}).get(context.lang, scope)} {context.formatted(code, target)}", target, True)
        for scope, target in context.targets.get(code, {}).items()
    ]
    subject_value = context.value(code)
    if subject_value is not None:
        lines.append(Line(f"{context.area()} {context.formatted(code, subject_value)}", subject_value, False))
    info = context.indicators[code]
    return bar_chart(info.name, bars, lines, f"chart-{code}")
