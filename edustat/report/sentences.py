"""A section's sentences in the report's style, filled with the subject region's values."""

from __future__ import annotations

from edustat.report.context import ReportContext
from edustat.report.numbers import DECIMALS_BY_UNIT, DEFAULT_DECIMALS, growth, plain, share_ratio
from edustat.report.phrases import PLACEHOLDER, Sentence
from edustat.report.traced import Traced, TracedBuilder, capitalised, traced_join


def _children_with_values(context: ReportContext, code: str) -> list[tuple[str, float]]:
    return [(child.code, v) for child in context.children if (v := context.value(code, child.code)) is not None]


def placeholder(context: ReportContext, name: str, fmt: str | None) -> str | None:
    """The text of one placeholder ({code}, {code|format} or a word such as {year}); None when its figure is missing.

    A figure comes back as a Traced string naming the stored values it is made of."""
    words = {
        "year": str(context.year),
        "area": context.area(),
        "region": context.subject.name,
        "children": str(len(context.children)),
        "children_kind": context.children_kind(),
    }
    if name in words:
        return words[name]
    if name not in context.indicators:
        return None
    if fmt == "passes":
        flags = _children_with_values(context, name)
        if not flags:
            return None
        count = str(sum(1 for _, v in flags if v >= 0.5))
        return TracedBuilder().figure(count, "count", *(context.source(name, region) for region, _ in flags)).build()
    if fmt == "range":
        found = _children_with_values(context, name)
        if not found:
            return None
        low_region, low = min(found, key=lambda pair: pair[1])
        high_region, high = max(found, key=lambda pair: pair[1])
        builder = TracedBuilder().figure(context.formatted(name, low), "low", context.source(name, low_region))
        builder.text("至" if context.lang == "zh" else " to ")
        return builder.figure(context.formatted(name, high), "high", context.source(name, high_region)).build()
    value = context.value(name)
    if value is None:
        return None
    if fmt == "number":
        text = plain(value, DECIMALS_BY_UNIT.get(context.indicators[name].unit, DEFAULT_DECIMALS))
    elif fmt == "growth":
        text = growth(value, context.lang)
    elif fmt == "share_ratio":
        text = share_ratio(value)
    else:
        text = context.formatted(name, value)
    return TracedBuilder().figure(text, "value", context.source(name)).build()


def fill(context: ReportContext, template: str) -> Traced | None:
    """``template`` with every placeholder filled (figures traced); None when any figure is missing."""
    builder = TracedBuilder()
    position = 0
    for match in PLACEHOLDER.finditer(template):
        text = placeholder(context, match.group(1), match.group(2))
        if text is None:
            return None
        builder.text(template[position : match.start()]).text(text)
        position = match.end()
    return builder.text(template[position:]).build()


def _join_en(clauses: list[str]) -> Traced:
    if len(clauses) == 1:
        return traced_join("", clauses)
    return traced_join(" and ", [traced_join(", ", clauses[:-1]), clauses[-1]])


def sentence_text(context: ReportContext, sentence: Sentence) -> str | None:
    """The sentence with the clauses whose figures are present, or None when none is (or the lead lacks one)."""
    lang = context.lang
    lead = fill(context, sentence.lead(lang))
    clauses = [text for template in sentence.clauses(lang) if (text := fill(context, template))]
    if lead is None or not clauses:
        return None
    builder = TracedBuilder()
    if lang == "zh":
        if lead:
            builder.text(lead).text(sentence.lead_sep_zh)
        return builder.text(traced_join(sentence.join_zh, clauses)).text("。").build()
    body = traced_join(sentence.join_en, clauses) if sentence.join_en is not None else _join_en(clauses)
    if lead:
        builder.text(lead).text(sentence.lead_sep_en)
    return capitalised(builder.text(body).text(".").build())


def section_sentences(context: ReportContext, section: str) -> list[str]:
    """The sentences of ``section`` that have figures, in phrases.toml order."""
    phrases = context.phrases.sections.get(section)
    if phrases is None:
        return []
    return [text for sentence in phrases.sentences if (text := sentence_text(context, sentence))]
