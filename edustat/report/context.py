"""The report's view of the warehouse frames: the region reported on, the regions compared, and values by key."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from edustat.report.numbers import fixed, with_unit
from edustat.report.phrases import Phrases
from edustat.report.traced import Source
from edustat.summary import printable
from schemas.report_frames import ReportFrames


@dataclass(frozen=True)
class Place:
    """One region as the report names it."""

    code: str
    name: str
    level: str
    is_partial: bool = False
    """Its values cover only the listed regions below it; ``name`` then says so (甘肃省（仅临夏州））."""


@dataclass(frozen=True)
class IndicatorInfo:
    """One indicator's names and unit in the report's language."""

    code: str
    name: str
    section: str
    unit: str
    unit_zh: str
    unit_en: str


@dataclass(frozen=True)
class ReportContext:
    """Everything a section needs: the subject region, the compared regions (one level below, by code), values of this and last year."""

    year: int
    lang: str
    subject: Place
    children: tuple[Place, ...]
    values: dict[tuple[str, str], float | None]
    previous: dict[tuple[str, str], float | None]
    indicators: dict[str, IndicatorInfo]
    phrases: Phrases
    targets: dict[str, dict[str, float]]
    incomplete: dict[str, str]
    """region_code → what it misses, for every incomplete region (reporting_status)."""
    runs: dict[tuple[str, str], int | None] = field(default_factory=dict)
    """(region_code, code) → the run that published this year's value."""
    previous_runs: dict[tuple[str, str], int | None] = field(default_factory=dict)
    """(region_code, code) → the run that published last year's value."""
    table_decimals: dict[str, int] = field(default_factory=dict)
    """unit → the fixed number of decimals of the county tables (config/rules.toml [report.table_decimals]); a unit
    absent writes as the sentences do."""

    def value(self, code: str, region_code: str | None = None) -> float | None:
        """This year's value of ``code`` for the subject (or ``region_code``); None when absent or NULL."""
        return self.values.get((region_code or self.subject.code, code))

    def formatted(self, code: str, value: float) -> str:
        """``value`` of ``code`` with its unit, as the report writes it."""
        info = self.indicators[code]
        return with_unit(value, info.unit, info.unit_zh, info.unit_en, self.lang)

    def table_formatted(self, code: str, value: float) -> str:
        """``value`` of ``code`` as a county table writes it: with the unit's fixed decimals when configured (73.00%)."""
        info = self.indicators[code]
        places = self.table_decimals.get(info.unit)
        if places is None or info.unit == "flag":
            return self.formatted(code, value)
        return fixed(value, places, info.unit_zh if self.lang == "zh" else info.unit_en, self.lang)

    def source(self, code: str, region_code: str | None = None) -> Source:
        """This year's stored value of ``code`` for the subject (or ``region_code``) as a figure's source."""
        region = region_code or self.subject.code
        return Source(code, region, self.year, self.runs.get((region, code)), self.values.get((region, code)))

    def previous_source(self, code: str, region_code: str) -> Source:
        """Last year's stored value of ``code`` for ``region_code`` as a figure's source."""
        return Source(code, region_code, self.year - 1, self.previous_runs.get((region_code, code)), self.previous.get((region_code, code)))

    def area(self) -> str:
        """The whole subject region as sentences name it: 全州 (a name ending in 州), 全省, the prefecture…

        A partial region is never "the whole": its shown name (甘肃省（仅临夏州）) is used instead.
        """
        if self.subject.is_partial:
            return self.subject.name
        words = self.phrases.levels.get(self.subject.level)
        if self.lang == "zh":
            if self.subject.name[-1:] in ("州", "市", "盟"):
                return "全" + self.subject.name[-1]
            return words.area_zh if words else "全区域"
        return words.area_en if words else "the region"

    def children_kind(self) -> str:
        """What the compared regions are called: 县（市）, counties."""
        level = self.children[0].level if self.children else "county"
        words = self.phrases.levels.get(level)
        if words is None:
            return "地区" if self.lang == "zh" else "regions"
        return words.kind_zh if self.lang == "zh" else words.kind_en


def _ancestors(code: str, parents: dict[str, str | None]) -> list[str]:
    """``code`` and every region above it, nearest first."""
    chain: list[str] = []
    current: str | None = code
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def subject_code(frames: ReportFrames) -> str:
    """The region the report is about: the lowest region containing every county with values (the prefecture for one prefecture's counties)."""
    regions = frames.regions
    parents = dict(zip(regions.get_column("region_code").to_list(), regions.get_column("parent_code").to_list()))
    levels = dict(zip(regions.get_column("region_code").to_list(), regions.get_column("region_level").to_list()))
    with_values = sorted(set(frames.values.get_column("region_code").to_list()))
    counties = [c for c in with_values if levels.get(c) == "county"] or with_values
    chains = [_ancestors(c, parents) for c in counties]
    common = [code for code in chains[0] if all(code in chain for chain in chains[1:])]
    if not common:
        raise ValueError("the regions with values share no common region; name one with --region")
    lowest = common[0]
    parent = parents.get(lowest)
    # A single county with values: report on the region above it, which compares that one county.
    if levels.get(lowest) == "county" and parent in with_values:
        return parent
    return lowest


def _lookup(frame: pl.DataFrame) -> dict[tuple[str, str], float | None]:
    return {(r, c): v for r, c, v in frame.select("region_code", "indicator_code", "value").iter_rows()}


def _run_lookup(frame: pl.DataFrame) -> dict[tuple[str, str], int | None]:
    if "run_id" not in frame.columns:
        return {}
    return {(r, c): run for r, c, run in frame.select("region_code", "indicator_code", "run_id").iter_rows()}


def build_context(
    frames: ReportFrames,
    phrases: Phrases,
    targets: dict[str, dict[str, float]],
    lang: str,
    region_code: str | None = None,
    table_decimals: dict[str, int] | None = None,
) -> ReportContext:
    """The report's context for ``frames`` in ``lang`` ('zh' or 'en'), about ``region_code`` or the region subject_code picks;
    ``table_decimals`` (unit → decimals) fixes the decimals of the county tables."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be zh or en, not {lang!r}")
    name_column = f"name_{lang}"
    regions = {row["region_code"]: row for row in frames.regions.iter_rows(named=True)}
    code = region_code or subject_code(frames)
    if code not in regions:
        raise ValueError(f"region {code} is not in the warehouse")
    with_values = set(frames.values.get_column("region_code").to_list())
    children = tuple(
        Place(c, printable(regions[c][name_column]), regions[c]["region_level"], bool(regions[c].get("is_partial")))
        for c in sorted(regions)
        if regions[c]["parent_code"] == code and c in with_values
    )
    indicators = {
        row["indicator_code"]: IndicatorInfo(row["indicator_code"], printable(row[name_column]), row["section"], row["unit"], row["unit_zh"], row["unit_en"])
        for row in frames.indicators.iter_rows(named=True)
    }
    return ReportContext(
        year=frames.year,
        lang=lang,
        # Names as stored, control characters escaped: a warehouse written before the configuration refused them may hold some.
        subject=Place(code, printable(regions[code][name_column]), regions[code]["region_level"], bool(regions[code].get("is_partial"))),
        children=children,
        values=_lookup(frames.values),
        previous=_lookup(frames.previous),
        indicators=indicators,
        phrases=phrases,
        targets=targets,
        incomplete={
            row["region_code"]: row["completeness"] or "" for row in frames.completeness.filter(~pl.col("is_complete")).iter_rows(named=True)
        },
        runs=_run_lookup(frames.values),
        previous_runs=_run_lookup(frames.previous),
        table_decimals=dict(table_decimals or {}),
    )
