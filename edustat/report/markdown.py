"""The report as Markdown: headings, sentences, pipe tables, and each chart as an SVG file beside it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from edustat.report.document import Report
from edustat.report.tables import CountyTable


@dataclass(frozen=True)
class MarkdownReport:
    """The Markdown text and the chart files it links to (relative path → SVG text)."""

    text: str
    assets: dict[str, str]


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]|~])")
_LINE_START = re.compile(r"^(\s*)([#>+=-])")


def markdown_inline(text: str) -> str:
    """``text`` as inert inline Markdown (a table cell): HTML escaped as the HTML report does (``<script>`` stays
    text), the characters of emphasis, code, links, images and table cells backslash-escaped, line breaks as spaces."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", escape(" ".join(text.splitlines()), quote=False))


def markdown_text(text: str) -> str:
    """``text`` (a region name, a run's reason, any sentence) as an inert Markdown paragraph: shown as written, never
    markup, and unable to open a heading, quote or list at its start."""
    return _LINE_START.sub(r"\1\\\2", markdown_inline(text))


def _cell(text: str) -> str:
    return markdown_inline(text)


def table_markdown(table: CountyTable) -> str:
    """A pipe table: one header row naming indicator and column (学前三年毛入园率 2020), one row per region."""
    headers: list[str] = []
    position = 0
    for label, span in table.groups:
        for column in table.columns[position : position + span]:
            headers.append(f"{label} {column}".strip())
        position += span
    lines = ["| " + " | ".join(_cell(h) for h in headers) + " |", "|" + "|".join([":---"] + ["---:"] * (len(headers) - 1)) + "|"]
    for index, row in enumerate(table.rows):
        cells = [_cell(c) for c in row]
        if index == 0:
            cells[0] = f"**{cells[0]}**"
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render_markdown(report: Report, assets_dir: str) -> MarkdownReport:
    """The report as Markdown; charts become ``assets_dir``/chart-CODE.svg, linked relative to the Markdown file."""
    parts = [f"# {markdown_text(report.title)}", ""]
    if report.notice:
        parts += [f"> **{markdown_text(report.notice)}**", ""]
    assets: dict[str, str] = {}
    for section in report.sections:
        parts += [f"## {markdown_text(section.title)}", ""]
        parts += [f"{markdown_text(text)}\n" for text in section.sentences]
        if section.no_data:
            parts += [f"*{markdown_text(section.no_data)}*", ""]
        if section.table is not None:
            if section.notice:
                parts += [f"> {markdown_text(section.notice)}", ""]
            if section.table_caption:
                parts += [f"**{markdown_text(section.table_caption)}**", ""]
            parts += [table_markdown(section.table), ""]
        for chart in section.charts:
            path = f"{assets_dir}/chart-{chart.code}.svg"
            assets[path] = chart.svg
            parts += [f"![{markdown_text(chart.title)}]({quote(path)})", ""]
            if chart.caption:
                parts += [f"*{markdown_text(chart.caption)}*", ""]
    parts += [f"## {markdown_text(report.difficulties_title)}", ""]
    parts += [f"{markdown_text(text)}\n" for text in report.difficulties]
    parts += ["---", "", f"*{markdown_text(report.footer)}*", ""]
    return MarkdownReport(text="\n".join(parts), assets=assets)
