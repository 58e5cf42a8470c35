"""The report as Markdown: headings, sentences, pipe tables, and each chart as an SVG file beside it."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from edustat.report.document import Report
from edustat.report.tables import CountyTable


@dataclass(frozen=True)
class MarkdownReport:
    """The Markdown text and the chart files it links to (relative path → SVG text)."""

    text: str
    assets: dict[str, str]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


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
    parts = [f"# {report.title}", ""]
    if report.notice:
        parts += [f"> **{report.notice}**", ""]
    assets: dict[str, str] = {}
    for section in report.sections:
        parts += [f"## {section.title}", ""]
        parts += [f"{text}\n" for text in section.sentences]
        if section.no_data:
            parts += [f"*{section.no_data}*", ""]
        if section.table is not None:
            if section.notice:
                parts += [f"> {section.notice}", ""]
            parts += [table_markdown(section.table), ""]
        for chart in section.charts:
            path = f"{assets_dir}/chart-{chart.code}.svg"
            assets[path] = chart.svg
            parts += [f"![{chart.title}]({quote(path)})", ""]
    parts += [f"## {report.difficulties_title}", ""]
    parts += [f"{text}\n" for text in report.difficulties]
    parts += ["---", "", f"*{report.footer}*", ""]
    return MarkdownReport(text="\n".join(parts), assets=assets)
