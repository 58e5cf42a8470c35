"""Catalogue files for the tests: entries written as TOML, with the units and sections every catalogue has."""

from __future__ import annotations

from pathlib import Path

HEAD = """report_region = "622900"
report_year = 2020
"""
TAIL = """
[units]
percent = { zh = "%", en = "%" }
count = { zh = "个", en = "" }
ratio = { zh = ":1", en = ":1" }

[sections]
teachers = { name_zh = "教师", name_en = "Teachers" }
safety = { name_zh = "安全", name_en = "Safety" }
"""


def entry(
    code: str, numerator: str | None = None, denominator: str | None = None, kind: str = "ratio", scale: int | None = None, **extra: str
) -> str:
    """One [[indicator]] entry; ``numerator`` and ``denominator`` are inline TOML tables, ``extra`` more keys as TOML values."""
    unit = {"ratio": "percent", "sum": "count", "count": "count"}.get(kind, "percent")
    lines = [
        "[[indicator]]",
        f'code = "{code}"',
        f'name_zh = "{code}"',
        f'name_en = "{code}"',
        'section = "safety"',
        f'kind = "{kind}"',
        f'unit = "{unit}"',
        f"scale = {scale if scale is not None else 100 if kind == 'ratio' else 1}",
    ]
    lines += [f"numerator = {numerator}"] if numerator else []
    lines += [f"denominator = {denominator}"] if denominator else []
    lines += [f"{key} = {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


def catalogue_file(folder: Path, *entries: str, name: str = "indicators.toml") -> Path:
    """A catalogue file of ``entries`` below ``folder``."""
    path = folder / name
    path.write_text(HEAD + "\n".join(entries) + TAIL, encoding="utf-8")
    return path
