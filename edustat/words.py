"""Words for users: the closest codes to a mistyped one (English plurals are schemas.words)."""

from __future__ import annotations

from collections.abc import Iterable


def closest_codes(code: str, known: Iterable[str], count: int = 3) -> list[str]:
    """The codes of ``known`` nearest to ``code`` (difflib's ratio, at least 0.6), best first; empty when none is near."""
    import difflib

    return difflib.get_close_matches(code, list(known), n=count, cutoff=0.6)


def unknown_code_message(code: str, known: Iterable[str]) -> str:
    """The sentence for an indicator code the catalogue lacks, with "did you mean" and the closest codes when there are any."""
    near = closest_codes(code, known)
    hint = f"; did you mean {', '.join(near)}? / 您是否要找 {'、'.join(near)}？" if near else ""
    return (
        f"unknown indicator code {code!r} / 未知指标代码 {code!r}{hint}"
        f"\n`edustat indicators --catalogue` lists every code / 该命令列出全部指标代码"
    )
