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


def label_width(text: str, size: int = 12) -> float:
    """Rough width in pixels of a label of ``size`` px: CJK characters are square, others about 0.6 as wide."""
    return sum(size if ord(char) > 0x2E80 else size * 0.6 for char in text)


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


@dataclass(frozen=True)
class Rect:
    """A bar: ``css`` is its class in the SVG ("bar" or "bar below-target")."""

    css: str
    x: float
    y: float
    width: float
    height: float
    fill: str
    region_code: str
    tooltip: str


@dataclass(frozen=True)
class Segment:
    """A reference line."""

    css: str
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    dashed: bool


@dataclass(frozen=True)
class Label:
    """A piece of text at baseline ``y``; ``anchor`` is start, middle or end."""

    css: str
    x: float
    y: float
    text: str
    fill: str
    size: int = 13
    anchor: str = "start"
    bold: bool = False


@dataclass(frozen=True)
class Drawing:
    """A chart laid out in pixels, drawn by svg() for the page and by charts_png for the Word document."""

    chart_id: str
    title: str
    width: int
    height: int
    shapes: tuple[Rect | Segment | Label, ...]


def layout(title: str, bars: list[Bar], lines: list[Line], chart_id: str) -> Drawing:
    """One bar per entry of ``bars`` (a Rect each, when it has a value) with ``lines`` drawn across; the label column
    widens for long region names so that none is clipped."""
    numbers = [b.value for b in bars if b.value is not None] + [line.value for line in lines]
    low = min([0.0, *numbers])
    high = max([0.0, *numbers])
    high = nice_ceiling(high) if high > 0 else (0.0 if low < 0 else 1.0)
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    label_area = max([LABEL_WIDTH, *(label_width(b.label, 13) + 16 for b in bars)])
    width = round(label_area + plot_width + VALUE_WIDTH)
    targets = [line.value for line in lines if line.is_target]

    def _x(value: float) -> float:
        return label_area + (value - low) / (high - low) * plot_width

    height = TOP + len(bars) * (BAR_HEIGHT + BAR_GAP) + BOTTOM
    shapes: list[Rect | Segment | Label] = [Label("chart-title", 0, 18, title, "#1a202c", 15, bold=True)]
    zero = _x(0.0)
    for index, bar in enumerate(bars):
        y = TOP + index * (BAR_HEIGHT + BAR_GAP)
        middle = y + BAR_HEIGHT / 2 + 4.5
        shapes.append(Label("bar-label", label_area - 8, middle, bar.label, "#1a202c", anchor="end"))
        if bar.value is None:
            shapes.append(Label("bar-value", label_area + 4, middle, bar.text, "#718096"))
            continue
        end = _x(bar.value)
        is_below = any(bar.value < t for t in targets)
        colour = BELOW_TARGET_COLOUR if is_below else BAR_COLOUR
        css = "bar below-target" if is_below else "bar"
        shapes.append(Rect(css, min(zero, end), y, abs(end - zero), BAR_HEIGHT, colour, bar.region_code, f"{bar.label}: {bar.text}"))
        shapes.append(Label("bar-value", max(zero, end) + 4, middle, bar.text, "#1a202c"))
    bottom = height - BOTTOM + 4
    rows = label_rows([(_x(line.value), label_width(line.label)) for line in lines])
    for line, row in zip(lines, rows):
        at = _x(line.value)
        colour = TARGET_COLOUR if line.is_target else REFERENCE_COLOUR
        css = "target-line" if line.is_target else "reference-line"
        shapes.append(Segment(css, at, TOP - 8, at, bottom, colour, line.is_target))
        shapes.append(Label(f"{css}-label", at, LABEL_ROWS_Y[row], line.label, colour, 12, anchor="middle"))
    return Drawing(chart_id, title, width, height, tuple(shapes))


def svg(drawing: Drawing) -> str:
    """The drawing as inline SVG: rects of class "bar", lines and texts with their classes, a <title>."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(drawing.chart_id)}" width="{drawing.width}" height="{drawing.height}" '
        f'viewBox="0 0 {drawing.width} {drawing.height}" role="img" aria-label="{escape(drawing.title)}" font-family="{FONT}" font-size="13">',
        f"<title>{escape(drawing.title)}</title>",
    ]
    lines: list[str] = []
    for shape in drawing.shapes:
        if isinstance(shape, Rect):
            parts.append(
                f'<rect class="{shape.css}" data-region="{escape(shape.region_code)}" x="{shape.x:.2f}" y="{shape.y}" '
                f'width="{shape.width:.2f}" height="{shape.height}" fill="{shape.fill}"><title>{escape(shape.tooltip)}</title></rect>'
            )
        elif isinstance(shape, Segment):
            dash = ' stroke-dasharray="6 4"' if shape.dashed else ""
            lines.append(
                f'<line class="{shape.css}" x1="{shape.x1:.2f}" y1="{shape.y1}" x2="{shape.x2:.2f}" y2="{shape.y2}" stroke="{shape.stroke}" stroke-width="2"{dash}/>'
            )
        else:
            size = f' font-size="{shape.size}"' if shape.size != 13 else ""
            weight = ' font-weight="bold"' if shape.bold else ""
            anchor = f' text-anchor="{shape.anchor}"' if shape.anchor != "start" else ""
            y = f"{shape.y:.1f}" if isinstance(shape.y, float) else str(shape.y)
            x = f"{shape.x:.2f}" if isinstance(shape.x, float) else str(shape.x)
            text = f'<text class="{shape.css}" x="{x}" y="{y}"{anchor}{size}{weight} fill="{shape.fill}">{escape(shape.text)}</text>'
            (lines if shape.css.endswith("line-label") else parts).append(text)
    return "\n".join([*parts, *lines, "</svg>"])


def bar_chart(title: str, bars: list[Bar], lines: list[Line], chart_id: str) -> str:
    """An SVG of one bar per entry of ``bars`` (a rect of class "bar" each, when it has a value) with ``lines`` drawn across."""
    return svg(layout(title, bars, lines, chart_id))


def indicator_chart(context: ReportContext, code: str) -> str | None:
    """The SVG chart of ``code`` (indicator_drawing); None without any value."""
    drawing = indicator_drawing(context, code)
    return svg(drawing) if drawing is not None else None


def indicator_drawing(context: ReportContext, code: str) -> Drawing | None:
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
    return layout(info.name, bars, lines, f"chart-{code}")
