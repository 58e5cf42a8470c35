"""A section's sentences in the report's style, filled with the subject region's values."""

from __future__ import annotations

from edustat.report.context import ReportContext
from edustat.report.numbers import DECIMALS_BY_UNIT, DEFAULT_DECIMALS, growth, plain, share_ratio
from edustat.report.phrases import PLACEHOLDER, Sentence


def _children_values(context: ReportContext, code: str) -> list[float]:
    return [v for child in context.children if (v := context.value(code, child.code)) is not None]


def placeholder(context: ReportContext, name: str, fmt: str | None) -> str | None:
    """The text of one placeholder ({code}, {code|format} or a word such as {year}); None when its figure is missing."""
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
        flags = _children_values(context, name)
        return str(sum(1 for v in flags if v >= 0.5)) if flags else None
    if fmt == "range":
        found = _children_values(context, name)
        if not found:
            return None
        low, high = context.formatted(name, min(found)), context.formatted(name, max(found))
        return f"{low}至{high}" if context.lang == "zh" else f"{low} to {high}"
    value = context.value(name)
    if value is None:
        return None
    if fmt == "number":
        return plain(value, DECIMALS_BY_UNIT.get(context.indicators[name].unit, DEFAULT_DECIMALS))
    if fmt == "growth":
        return growth(value, context.lang)
    if fmt == "share_ratio":
        return share_ratio(value)
    return context.formatted(name, value)


def fill(context: ReportContext, template: str) -> str | None:
    """``template`` with every placeholder filled; None when any figure is missing."""
    parts: list[str] = []
    position = 0
    for match in PLACEHOLDER.finditer(template):
        text = placeholder(context, match.group(1), match.group(2))
        if text is None:
            return None
        parts += [template[position : match.start()], text]
        position = match.end()
    return "".join(parts) + template[position:]


def _join_en(clauses: list[str]) -> str:
    return clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + " and " + clauses[-1]


def sentence_text(context: ReportContext, sentence: Sentence) -> str | None:
    """The sentence with the clauses whose figures are present, or None when none is (or the lead lacks one)."""
    lang = context.lang
    lead = fill(context, sentence.lead(lang))
    clauses = [text for template in sentence.clauses(lang) if (text := fill(context, template))]
    if lead is None or not clauses:
        return None
    if lang == "zh":
        body = sentence.join_zh.join(clauses)
        return (lead + sentence.lead_sep_zh if lead else "") + body + "。"
    body = sentence.join_en.join(clauses) if sentence.join_en is not None else _join_en(clauses)
    text = (lead + sentence.lead_sep_en if lead else "") + body + "."
    return text[0].upper() + text[1:]


def section_sentences(context: ReportContext, section: str) -> list[str]:
    """The sentences of ``section`` that have figures, in phrases.toml order."""
    phrases = context.phrases.sections.get(section)
    if phrases is None:
        return []
    return [text for sentence in phrases.sentences if (text := sentence_text(context, sentence))]
