"""存在的困难问题: every indicator of the subject region below a target of config/rules.toml, with the gap in percentage points."""

from __future__ import annotations

import re

from edustat.report.context import ReportContext
from edustat.report.numbers import gap_below, plain, points
from edustat.report.traced import Source, Traced, TracedBuilder, capitalised, traced_join

_PARENTHESIS = re.compile(r"^(?P<outer>[^(（]*)[(（](?P<inner>[^)）]+)[)）]\s*$")


def short_name(name: str) -> str:
    """The name a difficulty sentence uses: what the brackets say when there are brackets (职普比(中职招生占比) → 中职招生占比)."""
    match = _PARENTHESIS.match(name)
    return match["inner"] if match else name


def _gap_text(context: ReportContext, code: str, gap) -> str:
    info = context.indicators[code]
    if info.unit == "percent":
        return points(gap, context.lang)
    unit = info.unit_zh if context.lang == "zh" else info.unit_en
    return plain(gap) + unit if context.lang == "zh" else f"{plain(gap)} {unit}".strip()


def _scope_name(context: ReportContext, scope: str) -> str:
    words = context.phrases.targets.get(scope, {})
    return words.get(context.lang, scope)


def difficulty(context: ReportContext, code: str, targets: dict[str, float]) -> Traced | None:
    """The sentence for ``code`` when the subject's value lies below any of ``targets`` (scope → target), else None.

    zh: 高中阶段毛入学率低，全州为81.2%，分别比全省（95%）、全国（91.2%）低13.8个百分点和10个百分点。
    """
    value = context.value(code)
    if value is None or code not in context.indicators:
        return None
    below = [(scope, target, gap_below(target, value)) for scope, target in targets.items()]
    below = [(scope, target, gap) for scope, target, gap in below if gap > 0]
    if not below:
        return None
    info = context.indicators[code]
    name = short_name(info.name)
    stored = context.source(code)
    shown = TracedBuilder().figure(context.formatted(code, value), "value", stored).build()
    target_sources = [Source(code, scope, context.year, None, target, is_target=True) for scope, target, _ in below]
    target_texts = [TracedBuilder().figure(context.formatted(code, t), "target", source).build() for (_, t, _), source in zip(below, target_sources)]
    gaps = [
        TracedBuilder().figure(_gap_text(context, code, g), "gap", stored, source).build() for (_, _, g), source in zip(below, target_sources)
    ]
    builder = TracedBuilder()
    if context.lang == "zh":
        scopes = [TracedBuilder().text(f"{_scope_name(context, s)}（").text(t).text("）").build() for (s, _, _), t in zip(below, target_texts)]
        builder.text(f"{name}低，{context.area()}为").text(shown)
        if len(below) == 1:
            return builder.text("，比").text(scopes[0]).text("低").text(gaps[0]).text("。").build()
        builder.text("，分别比").text(traced_join("、", scopes)).text("低").text(traced_join("、", gaps[:-1])).text("和").text(gaps[-1])
        return builder.text("。").build()
    pairs = [
        TracedBuilder().text(g).text(f" below the {_scope_name(context, s)} target (").text(t).text(")").build()
        for g, (s, _, _), t in zip(gaps, below, target_texts)
    ]
    listed = pairs[0] if len(pairs) == 1 else traced_join(" and ", [traced_join(", ", pairs[:-1]), pairs[-1]])
    return capitalised(builder.text(f"{name} is low: ").text(shown).text(f" across {context.area()}, ").text(listed).text(".").build())


def difficulties(context: ReportContext) -> list[str]:
    """One sentence per indicator below a target, in the order of the targets in config/rules.toml."""
    return [text for code, targets in context.targets.items() if (text := difficulty(context, code, targets))]
