"""The report as a document: title, sections in the report's order (sentences, county table, charts), difficulties and footer."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import polars as pl

from edustat.report.charts import Drawing, indicator_drawing, svg
from edustat.report.completeness import table_notice, top_notice
from edustat.report.context import ReportContext, build_context
from edustat.report.difficulties import difficulties
from edustat.report.phrases import Phrases, load_phrases
from edustat.report.sentences import fill, section_sentences
from edustat.report.tables import CountyTable, county_table
from edustat.report.traced import Source
from schemas.report_frames import ReportFrames


@dataclass(frozen=True)
class Chart:
    """One bar chart of one indicator: its layout (drawn as SVG for the page, as PNG for Word) and the stored values it shows."""

    code: str
    title: str
    drawing: Drawing
    sources: tuple[Source, ...] = ()
    caption: str = ""
    """Its number and title below it: 图1 学前三年毛入园率 / Figure 1. …"""

    @property
    def svg(self) -> str:
        """The chart as inline SVG."""
        return svg(self.drawing)


@dataclass(frozen=True)
class Section:
    """One section of the report: its sentences, its county table and its charts."""

    key: str
    title: str
    sentences: tuple[str, ...]
    table: CountyTable | None
    charts: tuple[Chart, ...]
    no_data: str | None = None
    notice: str | None = None
    """Beside the table when a region in it is incomplete: its figures are not final."""
    table_number: int | None = None
    table_caption: str = ""
    """The table's number and title above it: 表1 学前教育 / Table 1. Preschool education."""


@dataclass(frozen=True)
class Report:
    """The whole indicator section of the self-evaluation report, in one language."""

    lang: str
    title: str
    year: int
    sections: tuple[Section, ...]
    difficulties_title: str
    difficulties: tuple[str, ...]
    footer: str
    notice: str | None = None
    """At the top when the year's data are incomplete for a region the report shows."""
    subject_code: str = ""
    """The region the report is about."""
    region_names: dict[str, str] = field(default_factory=dict)
    """code → name of the regions shown, in the report's language (for the figures' comments)."""
    indicator_names: dict[str, str] = field(default_factory=dict)
    """code → name of every indicator, in the report's language."""


def _section_titles(frames: ReportFrames, lang: str) -> dict[str, str]:
    titles = frames.indicators.select("section", f"section_name_{lang}").unique(subset="section", keep="first")
    return {key: name or key for key, name in titles.iter_rows()}


_TRIGGERS_ZH = {"manual": "手动", "scheduled": "定时"}


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else "—"


def footer_text(frames: ReportFrames, lang: str) -> str:
    """Where the figures come from: the pinned run and its reason, or the runs behind the current values."""
    runs = frames.runs
    if frames.pinned_run is not None:
        run = runs.filter(pl.col("run_id") == frames.pinned_run).row(0, named=True)
        reason = run["reason"] or ("未注明" if lang == "zh" else "none given")
        if lang == "zh":
            return f"本页数值为第 {run['run_id']} 次运行（{run['year']} 年，{_TRIGGERS_ZH.get(run['trigger'], run['trigger'])}，完成于 {_when(run['finished_at'])}）发布的版本。运行原因：{reason}。"
        return f"Values as published by run {run['run_id']} ({run['year']}, {run['trigger']}, finished {_when(run['finished_at'])}). Reason: {reason}."
    listed = "; ".join(
        f"{r['run_id']} ({r['reason'] or '—'}, {_when(r['finished_at'])})" for r in runs.iter_rows(named=True)
    )
    if lang == "zh":
        return f"本页数值为仓库中 {frames.year} 年的当前值，来自运行：{listed}。"
    return f"Current values of {frames.year} in the warehouse, from runs: {listed}."


def _chart_sources(context: ReportContext, code: str) -> tuple[Source, ...]:
    """The stored values a chart of ``code`` shows: each compared region's, then the subject's reference line."""
    places = (*context.children, context.subject)
    return tuple(context.source(code, place.code) for place in places if context.value(code, place.code) is not None)


def build_section(context: ReportContext, key: str, title: str) -> Section:
    """One section: sentences with the subject's values, the county table and one chart per key indicator."""
    phrases = context.phrases.sections[key]
    charts = tuple(
        Chart(code, context.indicators[code].name, drawing, _chart_sources(context, code))
        for code in phrases.charts
        if (drawing := indicator_drawing(context, code)) is not None
    )
    sentences = tuple(section_sentences(context, key))
    table = county_table(context, phrases.table)
    no_data = None if sentences or table or charts else context.phrases.table[f"no_data_{context.lang}"]
    notice = table_notice(context) if table is not None else None
    return Section(key, title, sentences, table, charts, no_data, notice)


CAPTIONS = {
    "zh": {"table": "表{n} {title}", "figure": "图{n} {title}", "continued": "表{n}（续）"},
    "en": {"table": "Table {n}. {title}", "figure": "Figure {n}. {title}", "continued": "Table {n} (continued)"},
}
"""How tables and charts are numbered and named, by language; "continued" heads the further parts of a split table."""


def numbered(sections: tuple[Section, ...], lang: str) -> tuple[Section, ...]:
    """The sections with their tables numbered 表1, 表2 … and their charts 图1, 图2 … in the report's order."""
    words = CAPTIONS[lang]
    tables = figures = 0
    done = []
    for section in sections:
        number, caption = None, ""
        if section.table is not None:
            tables += 1
            number, caption = tables, words["table"].format(n=tables, title=section.title)
        charts = []
        for chart in section.charts:
            figures += 1
            charts.append(replace(chart, caption=words["figure"].format(n=figures, title=chart.title)))
        done.append(replace(section, charts=tuple(charts), table_number=number, table_caption=caption))
    return tuple(done)


def _difficulties(context: ReportContext) -> tuple[str, ...]:
    found = tuple(difficulties(context))
    if found:
        return found
    # "Every target met" only when some indicator with a target has a value to compare.
    has_compared = any(context.value(code) is not None for code in context.targets)
    return (context.phrases.difficulties[f"none_{context.lang}"],) if has_compared else ()


def build_report(
    frames: ReportFrames,
    targets: dict[str, dict[str, float]],
    lang: str = "zh",
    region_code: str | None = None,
    phrases: Phrases | None = None,
    table_decimals: dict[str, int] | None = None,
) -> Report:
    """The report of ``frames`` in ``lang``: the eight sections in the report's order, then the difficulties against ``targets`` (rules.targets).

    ``table_decimals`` (rules.report.table_decimals: unit → decimals) fixes the decimals of the county tables;
    without it they write numbers as the sentences do."""
    phrases = phrases or load_phrases()
    context = build_context(frames, phrases, targets, lang, region_code, table_decimals)
    titles = _section_titles(frames, lang)
    sections = numbered(tuple(build_section(context, key, titles.get(key, key)) for key in phrases.order), lang)
    return Report(
        lang=lang,
        title=str(fill(context, phrases.title[lang]) or ""),
        year=frames.year,
        sections=sections,
        difficulties_title=phrases.difficulties[f"title_{lang}"],
        difficulties=_difficulties(context),
        footer=footer_text(frames, lang),
        notice=top_notice(context),
        subject_code=context.subject.code,
        region_names={place.code: place.name for place in (context.subject, *context.children)},
        indicator_names={code: info.name for code, info in context.indicators.items()},
    )
