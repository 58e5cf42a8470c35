"""The report's wording (phrases.toml), parsed into typed models: sections, sentences, level and target words."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

PHRASES_FILE = Path(__file__).with_name("phrases.toml")

PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)(?:\|([a-z_]+))?\}")
"""{code} or {code|format}."""

FORMATS = frozenset({"number", "growth", "share_ratio", "passes", "range"})
WORDS = frozenset({"year", "area", "children", "children_kind", "region"})
"""Placeholders that are not indicator codes."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sentence(_Strict):
    """One sentence: a lead and clauses, in both languages."""

    lead_zh: str = ""
    lead_en: str = ""
    lead_sep_zh: str = "，"
    lead_sep_en: str = ", "
    join_zh: str = "，"
    join_en: str | None = None
    zh: tuple[str, ...]
    en: tuple[str, ...]

    def lead(self, lang: str) -> str:
        """The lead in ``lang``."""
        return self.lead_zh if lang == "zh" else self.lead_en

    def clauses(self, lang: str) -> tuple[str, ...]:
        """The clauses in ``lang``."""
        return self.zh if lang == "zh" else self.en


class SectionPhrases(_Strict):
    """One section of the report: the codes charted, the codes of its county table, its sentences."""

    charts: tuple[str, ...] = ()
    table: tuple[str, ...] = ()
    sentences: tuple[Sentence, ...] = ()


class LevelWords(_Strict):
    """How a region level is named: the whole region (全州) and the regions one level below (县（市）)."""

    area_zh: str
    area_en: str
    kind_zh: str
    kind_en: str


class Phrases(_Strict):
    """Everything in phrases.toml."""

    order: tuple[str, ...]
    title: dict[str, str]
    difficulties: dict[str, str]
    targets: dict[str, dict[str, str]]
    levels: dict[str, LevelWords]
    table: dict[str, str]
    sections: dict[str, SectionPhrases] = Field(default_factory=dict)

    def codes(self) -> set[str]:
        """Every indicator code the wording names (sentences, charts, tables)."""
        found: set[str] = set()
        for section in self.sections.values():
            found |= set(section.charts) | set(section.table)
            for sentence in section.sentences:
                for text in (sentence.lead_zh, sentence.lead_en, *sentence.zh, *sentence.en):
                    found |= {m.group(1) for m in PLACEHOLDER.finditer(text)} - WORDS
        return found


@lru_cache(maxsize=2)
def load_phrases(path: Path = PHRASES_FILE) -> Phrases:
    """The report's wording from ``path``: one SectionPhrases per section of ``order``."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    known = {"order", "title", "difficulties", "targets", "levels", "table"}
    sections = {key: SectionPhrases(**value) for key, value in data.items() if key not in known}
    missing = [key for key in data["order"] if key not in sections]
    if missing:
        raise ValueError(f"{path}: sections {missing} are in `order` but have no table")
    for key, section in sections.items():
        for sentence in section.sentences:
            for text in (sentence.lead_zh, sentence.lead_en, *sentence.zh, *sentence.en):
                bad = {m.group(2) for m in PLACEHOLDER.finditer(text) if m.group(2)} - FORMATS
                if bad:
                    raise ValueError(f"{path}: section {key}: unknown format(s) {sorted(bad)} in {text!r}")
    return Phrases(**{k: data[k] for k in known}, sections=sections)
