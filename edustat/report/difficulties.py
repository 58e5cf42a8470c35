"""存在的困难问题: every indicator of the subject region below a target of config/rules.toml, with the gap in percentage points."""

from __future__ import annotations

import re

from edustat.report.context import ReportContext
from edustat.report.numbers import gap_below, plain, points

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


def difficulty(context: ReportContext, code: str, targets: dict[str, float]) -> str | None:
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
    shown = context.formatted(code, value)
    scopes = [f"{_scope_name(context, s)}（{context.formatted(code, t)}）" for s, t, _ in below]
    gaps = [_gap_text(context, code, g) for _, _, g in below]
    if context.lang == "zh":
        if len(below) == 1:
            return f"{name}低，{context.area()}为{shown}，比{scopes[0]}低{gaps[0]}。"
        return f"{name}低，{context.area()}为{shown}，分别比{'、'.join(scopes)}低{'、'.join(gaps[:-1])}和{gaps[-1]}。"
    targets_en = [f"the {_scope_name(context, s)} target ({context.formatted(code, t)})" for s, t, _ in below]
    pairs = [f"{g} below {t}" for g, t in zip(gaps, targets_en)]
    listed = pairs[0] if len(pairs) == 1 else ", ".join(pairs[:-1]) + " and " + pairs[-1]
    text = f"{name} is low: {shown} across {context.area()}, {listed}."
    return text[0].upper() + text[1:]


def difficulties(context: ReportContext) -> list[str]:
    """One sentence per indicator below a target, in the order of the targets in config/rules.toml."""
    return [text for code, targets in context.targets.items() if (text := difficulty(context, code, targets))]
