"""Typed models of the files in config/: they fail fast, with the file and field, when a value is wrong."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from schemas.tables import numeric_columns

RegionLevel = Literal["country", "province", "prefecture", "county"]
LEVEL_ORDER: tuple[RegionLevel, ...] = ("country", "province", "prefecture", "county")
STAGES: tuple[str, ...] = ("preschool", "primary", "junior", "senior", "vocational", "higher_vocational")
IndicatorKind = Literal["ratio", "sum", "count", "growth", "balance"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Region(_Strict):
    """One region of the hierarchy: one row per province, prefecture or county."""

    code: str = Field(pattern=r"^\d{6}$")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    level: RegionLevel
    parent_code: str | None = None
    partial: bool = False
    """Its children are not all listed (contract §1 "Partial regions"): its values cover the listed ones only."""
    partial_name_zh: str | None = Field(default=None, min_length=1)
    partial_name_en: str | None = Field(default=None, min_length=1)
    """How a partial region is shown (甘肃省（仅临夏州）); by default its name and its listed children's."""


class RegionTree(_Strict):
    """The whole hierarchy: every region, with each non-top region naming a parent one level up."""

    regions: tuple[Region, ...]

    @model_validator(mode="after")
    def _check_tree(self) -> RegionTree:
        by_code: dict[str, Region] = {}
        for region in self.regions:
            if region.code in by_code:
                raise ValueError(f"region code {region.code} appears twice")
            by_code[region.code] = region
        if not any(r.level == "county" for r in self.regions):
            raise ValueError("the region file holds no county")
        for region in self.regions:
            if region.partial and region.level == "county":
                raise ValueError(
                    f"region {region.code} ({region.name_zh}), key partial: a county has no children, so it cannot be partial "
                    f"/ 区划 {region.code}（{region.name_zh}）的 partial 键：县级区划没有下级，不能标记为部分覆盖"
                )
            if not region.partial and (region.partial_name_zh or region.partial_name_en):
                raise ValueError(
                    f"region {region.code} ({region.name_zh}), key partial_name_zh/partial_name_en: only a region with partial = true has a partial name "
                    f"/ 区划 {region.code}（{region.name_zh}）的 partial_name 键：只有 partial = true 的区划才有部分覆盖名称"
                )
        for region in self.regions:
            if region.parent_code is None:
                continue
            parent = by_code.get(region.parent_code)
            if parent is None:
                raise ValueError(f"region {region.code} names parent {region.parent_code}, which is not in the file")
            if LEVEL_ORDER.index(parent.level) >= LEVEL_ORDER.index(region.level):
                raise ValueError(f"region {region.code} ({region.level}) has parent {parent.code} ({parent.level}) at or below its own level")
        return self

    def by_code(self) -> dict[str, Region]:
        """Regions keyed by code."""
        return {r.code: r for r in self.regions}

    def shown_names(self) -> dict[str, tuple[str, str]]:
        """(zh, en) name under which each region's values are shown: a partial region's says it covers its listed children only."""
        children: dict[str, list[Region]] = {}
        for r in self.regions:
            if r.parent_code is not None:
                children.setdefault(r.parent_code, []).append(r)
        names: dict[str, tuple[str, str]] = {}
        for r in self.regions:
            if not r.partial:
                names[r.code] = (r.name_zh, r.name_en)
                continue
            listed = children.get(r.code, [])
            zh = r.partial_name_zh or f"{r.name_zh}（仅{'、'.join(c.name_zh for c in listed)}）"
            en = r.partial_name_en or f"{r.name_en} ({', '.join(c.name_en for c in listed)} only)"
            names[r.code] = (zh, en)
        return names

    def county_codes(self) -> frozenset[str]:
        """Codes of every county-level region."""
        return frozenset(r.code for r in self.regions if r.level == "county")

    def ancestry(self) -> list[tuple[str, str, str]]:
        """(county_code, region_code, region_level) for every county and each of its ancestors, itself included."""
        by_code = self.by_code()
        rows: list[tuple[str, str, str]] = []
        for county in (r for r in self.regions if r.level == "county"):
            current: Region | None = county
            while current is not None:
                rows.append((county.code, current.code, current.level))
                current = by_code.get(current.parent_code) if current.parent_code else None
        return rows


class StageInfo(_Strict):
    """One stage (学段): its names and the spellings a clerk may use."""

    name_zh: str
    name_en: str
    aliases: tuple[str, ...]


class SchoolType(_Strict):
    """One 办学类型代码 and the stages its schools may report."""

    name_zh: str
    stages: tuple[str, ...]

    @field_validator("stages")
    @classmethod
    def _known_stages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = set(value) - set(STAGES)
        if unknown:
            raise ValueError(f"unknown stages {sorted(unknown)}")
        return value


class SchoolGroups(BaseModel):
    """Named lists of 办学类型代码 that catalogue terms (``school_types``) and the sample name; more may be added."""

    # Extra names are allowed: a province adds its own group in rules.toml, not in code.
    model_config = ConfigDict(extra="allow", frozen=True)

    kindergartens: tuple[str, ...]
    teaching_points: tuple[str, ...]
    primary_and_secondary: tuple[str, ...]
    primary_and_secondary_with_teaching_points: tuple[str, ...]

    @model_validator(mode="before")
    @classmethod
    def _codes(cls, data: object) -> object:
        if isinstance(data, dict):
            for name, codes in data.items():
                if not isinstance(codes, list | tuple) or not all(isinstance(c, str) and c.isdigit() and len(c) == 3 for c in codes):
                    raise ValueError(f"school group {name} must list 3-digit 办学类型代码 as text")
            return {name: tuple(codes) for name, codes in data.items()}
        return data

    def by_name(self) -> dict[str, tuple[str, ...]]:
        """Every group, the added ones too: name → its 办学类型代码."""
        return dict(self)


class GuardStandard(_Strict):
    """公治〔2015〕168号: guards required for a school with n students and staff."""

    small_school_below: int = Field(gt=0)
    small_school_guards: int = Field(ge=0)
    medium_school_up_to: int = Field(gt=0)
    medium_school_guards: int = Field(ge=0)
    extra_guard_per: int = Field(gt=0)


class Balance(_Strict):
    """县域义务教育优质均衡: weights, standards and limits."""

    # A weight of 0 would share a school's facilities among its stages as 0 / 0.
    facility_weights: dict[str, float]
    stages: tuple[str, ...]
    teaching_point_type: str
    teaching_point_min_students: int = Field(ge=0)
    min_standards_met: int = Field(ge=0)
    cv_limit: dict[str, float]
    standards: dict[str, dict[str, float]]

    @model_validator(mode="after")
    def _complete(self) -> Balance:
        if any(not weight > 0 for weight in self.facility_weights.values()):
            raise ValueError("every facility weight must be above 0")
        for stage in self.stages:
            if stage not in self.cv_limit or stage not in self.standards or stage not in self.facility_weights:
                raise ValueError(f"balance stage {stage} needs a cv_limit, standards and a facility weight")
        measures = {frozenset(s) for s in self.standards.values()}
        if len(measures) != 1:
            raise ValueError("every balance stage must list the same measures")
        if self.min_standards_met > len(next(iter(self.standards.values()))):
            raise ValueError("min_standards_met exceeds the number of measures")
        return self

    @property
    def measures(self) -> tuple[str, ...]:
        """The seven measure names, in file order."""
        return tuple(next(iter(self.standards.values())))


class Warnings(_Strict):
    """Thresholds of the non-blocking checks."""

    students_change_limit: float = Field(gt=0)


class Outliers(_Strict):
    """Outliers (contract §3): values far from the school's own previous year or from its peers; warnings only."""

    previous_factor: float = Field(gt=1)
    """A value beyond previous × factor or below previous / factor is an outlier."""
    previous_floor: float = Field(ge=0)
    """Compared only when both years' values are above 0, the larger is at least this and they differ by at least this."""
    previous_floors: dict[str, float] = {}
    """The floor of a column whose numbers are of another size (m², books, 万元), by column name."""
    min_students: int = Field(ge=1)
    """A per-student measure is taken only of a school (× stage) with at least this many students."""
    peer_columns: dict[str, tuple[str, ...]]
    """Table → its columns whose per-student measure is compared with the previous year and with the peers."""
    peer_score: float = Field(gt=0)
    """Robust score on the log scale: |log m − median| / (1.4826 × MAD) beyond this, …"""
    peer_factor: float = Field(gt=1)
    """… and m beyond median × factor or below median / factor: both, so that a tight group does not flag small differences."""
    peer_min_group: int = Field(ge=3)
    """Schools (with a measure above 0) a group needs: the county's, else the prefecture's, else no comparison."""
    peer_max_zero_share: float = Field(ge=0, le=1)
    """A group whose share of zeros is above this is zero-heavy: no comparison (a zero is normal there)."""

    @model_validator(mode="after")
    def _known_columns(self) -> Outliers:
        columns = numeric_columns()
        for table, names in self.peer_columns.items():
            unknown = [name for name in names if name not in columns.get(table, ())]
            if unknown:
                raise ValueError(f"outliers.peer_columns.{table}: unknown columns {unknown}")
        every = {name for names in columns.values() for name in names}
        unknown = sorted(set(self.previous_floors) - every)
        if unknown:
            raise ValueError(f"outliers.previous_floors: unknown columns {unknown}")
        return self

    def floor(self, column: str) -> float:
        """The previous-year floor of ``column``."""
        return self.previous_floors.get(column, self.previous_floor)


class Completeness(_Strict):
    """Class sizes of the completeness check inconsistent_class_sizes (contract §3)."""

    large_class_above: int = Field(gt=0)
    super_large_class_above: int = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> Completeness:
        if self.super_large_class_above < self.large_class_above:
            raise ValueError("super_large_class_above must be at least large_class_above")
        return self


class Limits(_Strict):
    """Sizes beyond which a file (or one of its sheets) is refused unread, and how much of a bad one is listed and copied."""

    max_uncompressed_bytes: int = Field(gt=0)
    max_compression_ratio: float = Field(gt=1)
    max_sheet_rows: int = Field(gt=0, le=1_048_576)
    max_sheet_columns: int = Field(gt=0, le=16_384)
    max_issues_per_file_rule: int = Field(gt=0, le=100_000)
    """Problems listed one by one per file and rule; the rest become one summary problem with their count."""
    max_duplicates_named: int = Field(gt=0, le=1000)
    """Other rows a duplicate key's message names; the rest are counted."""
    max_copied_cells: int = Field(gt=0, le=10_000_000)
    """Cells of one sheet copied into the error workbook; a larger sheet's copy is cut below its last whole row."""


class Ceiling(_Strict):
    """The plausible magnitude of one column, per row: above ``unusual`` a warning, above ``impossible`` an error."""

    unusual: float = Field(gt=0, allow_inf_nan=False)
    impossible: float = Field(gt=0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _ordered(self) -> Ceiling:
        if self.unusual >= self.impossible:
            raise ValueError("unusual must be below impossible")
        return self


def _check_ceilings(ceilings: dict[str, dict[str, Ceiling]]) -> dict[str, dict[str, Ceiling]]:
    """Every numeric column of every input table has exactly one ceiling, and every ceiling names such a column."""
    expected = {(table, column) for table, columns in numeric_columns().items() for column in columns}
    declared = {(table, column) for table, columns in ceilings.items() for column in columns}
    missing, unknown = sorted(expected - declared), sorted(declared - expected)
    if missing:
        raise ValueError(f"numeric columns without a ceiling: {', '.join(f'{t}.{c}' for t, c in missing)}")
    if unknown:
        raise ValueError(f"ceilings for unknown columns: {', '.join(f'{t}.{c}' for t, c in unknown)}")
    return ceilings


class Schedule(_Strict):
    """The yearly deployment's schedule and input folder."""

    cron: str
    timezone: str
    input_pattern: str


REPORT_UNITS: tuple[str, ...] = ("percent", "count", "classes", "persons", "person_times", "10k_yuan", "yuan", "ratio", "coefficient", "flag")
"""The units an indicator may have (config/indicators.toml `unit`)."""


class ReportRules(_Strict):
    """How the report writes numbers: ``table_decimals`` fixes the decimals of the county tables by unit, so a column
    reads evenly (95.42% above 73.00%); sentences keep the report's own style (73%)."""

    table_decimals: dict[str, int] = Field(default_factory=dict)

    @field_validator("table_decimals")
    @classmethod
    def _known_units(cls, value: dict[str, int]) -> dict[str, int]:
        unknown = sorted(set(value) - set(REPORT_UNITS))
        if unknown:
            raise ValueError(f"[report.table_decimals]: unknown unit(s) {unknown}; the units are {list(REPORT_UNITS)}")
        negative = sorted(unit for unit, places in value.items() if not 0 <= places <= 6)
        if negative:
            raise ValueError(f"[report.table_decimals]: decimals of {negative} must be 0 to 6")
        return value


class Rules(_Strict):
    """Everything in config/rules.toml."""

    stages: dict[str, StageInfo]
    school_types: dict[str, SchoolType]
    urban_rural: dict[str, Literal["urban", "town", "rural"]]
    school_groups: SchoolGroups
    guard_standard: GuardStandard
    balance: Balance
    warnings: Warnings
    outliers: Outliers
    completeness: Completeness
    limits: Limits
    ceilings: dict[str, dict[str, Ceiling]]
    targets: dict[str, dict[str, float]]
    schedule: Schedule
    report: ReportRules = Field(default_factory=ReportRules)

    @field_validator("stages")
    @classmethod
    def _all_stages(cls, value: dict[str, StageInfo]) -> dict[str, StageInfo]:
        if tuple(value) != STAGES:
            raise ValueError(f"stages must be exactly {STAGES}, in that order")
        return value

    @field_validator("ceilings")
    @classmethod
    def _every_numeric_column(cls, value: dict[str, dict[str, Ceiling]]) -> dict[str, dict[str, Ceiling]]:
        return _check_ceilings(value)


OPERATORS: tuple[str, ...] = (">=", "<=", "==", "!=", ">", "<")
"""Comparison operators a term's ``where`` may use (contract §4)."""

TERM_KINDS: tuple[IndicatorKind, ...] = ("ratio", "sum", "count")
"""Kinds defined in the catalogue by their terms; growth and balance are built in."""


class Condition(_Strict):
    """One condition of a term's ``where``: ``COLUMN OP NUMBER``, ``COLUMN OP COLUMN``, ``COLUMN`` or ``not COLUMN``."""

    column: str
    operator: str | None = None
    number: float | None = None
    other_column: str | None = None
    is_negated: bool = False

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: object) -> object:
        if not isinstance(data, str):
            return data
        parsed = parse_condition(data)
        if parsed is not None:
            return parsed
        operator = comparison_operator(data)
        if operator is not None:
            raise PydanticCustomError(
                "catalogue_unknown_operator",
                "unknown operator {operator} in {condition}",
                {"operator": operator, "condition": data, "choices": " ".join(OPERATORS)},
            )
        raise PydanticCustomError("catalogue_unreadable_condition", "cannot read the condition {condition}", {"condition": data})

    def columns(self) -> tuple[str, ...]:
        """The columns the condition reads."""
        return (self.column,) if self.other_column is None else (self.column, self.other_column)

    def text(self) -> str:
        """The condition as the catalogue writes it."""
        if self.operator is None:
            return f"not {self.column}" if self.is_negated else self.column
        right = self.other_column if self.other_column is not None else f"{self.number:g}"
        return f"{self.column} {self.operator} {right}"


_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_VALUE = rf"-?\d+(?:\.\d+)?|{_NAME}"
_FLAG = re.compile(rf"\s*(not\s+)?({_NAME})\s*")
_COMPARISONS = (
    re.compile(rf"\s*({_NAME})\s*([<>=!]+)\s*({_VALUE})\s*"),
    re.compile(rf"\s*({_NAME})\s+(\S+)\s+({_VALUE})\s*"),
)


def _comparison(text: str) -> tuple[str, str, str] | None:
    for pattern in _COMPARISONS:
        found = pattern.fullmatch(text)
        if found is not None:
            return found.group(1), found.group(2), found.group(3)
    return None


def parse_condition(text: str) -> dict[str, object] | None:
    """The fields of a Condition written as ``text``; None when it is not one of the four forms (an unknown operator included)."""
    flag = _FLAG.fullmatch(text)
    if flag is not None:
        return {"column": flag.group(2), "is_negated": flag.group(1) is not None}
    comparison = _comparison(text)
    if comparison is None or comparison[1] not in OPERATORS:
        return None
    column, operator, right = comparison
    if re.fullmatch(_NAME, right):
        return {"column": column, "operator": operator, "other_column": right}
    return {"column": column, "operator": operator, "number": float(right)}


def comparison_operator(text: str) -> str | None:
    """The operator of a ``COLUMN OP VALUE`` condition as written, known or not; None when ``text`` has no such shape."""
    comparison = _comparison(text)
    return None if comparison is None else comparison[1]


def _as_tuple(value: object) -> object:
    return (value,) if isinstance(value, str) else value


class Term(_Strict):
    """One side of a catalogue indicator: Σ of ``sum`` (or, without it, a count of schools) over one table's rows passing every filter.

    Grain: one amount per school (per county for population), summed to every region.
    """

    table: str
    sum: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    school_types: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    ownership: tuple[str, ...] = ()
    is_inclusive: bool | None = None
    where: tuple[Condition, ...] = ()

    _tuples = field_validator("sum", "stages", "school_types", "areas", "ownership", "where", mode="before")(_as_tuple)

    @property
    def is_count(self) -> bool:
        """True when the term counts schools instead of summing columns."""
        return not self.sum

    def columns(self) -> tuple[str, ...]:
        """Every column of the table the term reads: summed ones and those its conditions compare."""
        return tuple(dict.fromkeys([*self.sum, *(c for condition in self.where for c in condition.columns())]))


class Indicator(_Strict):
    """One indicator code of the catalogue, after its templates are expanded."""

    code: str = Field(pattern=r"^[a-z0-9_]+$")
    name_zh: str
    name_en: str
    section: str
    kind: IndicatorKind
    unit: str
    unit_zh: str
    unit_en: str
    scale: float
    levels: Literal["all", "county"] = "all"
    definition: str
    numerator: Term | None = None
    denominator: Term | None = None
    base: str | None = None
    stage: str | None = None
    measure: str | None = None
    statistic: Literal["cv", "cv_pass", "school_pass_share"] | None = None
    report: float | None = None
    report_text: str | None = None


class Catalogue(_Strict):
    """The indicator catalogue: every code of contract §4, in catalogue order."""

    indicators: tuple[Indicator, ...]
    sections: dict[str, dict[str, str]]
    report_region: str = Field(pattern=r"^\d{6}$")
    report_year: int

    @model_validator(mode="after")
    def _check(self) -> Catalogue:
        codes = [i.code for i in self.indicators]
        duplicates = {c for c in codes if codes.count(c) > 1}
        if duplicates:
            raise ValueError(f"indicator codes appear twice: {sorted(duplicates)}")
        for indicator in self.indicators:
            if indicator.section not in self.sections:
                raise ValueError(f"{indicator.code}: unknown section {indicator.section}")
            if indicator.kind == "growth" and indicator.base not in codes:
                raise ValueError(f"{indicator.code}: growth base {indicator.base} is not in the catalogue")
        return self

    def by_code(self) -> dict[str, Indicator]:
        """Indicators keyed by code."""
        return {i.code: i for i in self.indicators}

    def codes(self, kind: str | None = None) -> tuple[str, ...]:
        """Codes of every indicator, or of one kind."""
        return tuple(i.code for i in self.indicators if kind is None or i.kind == kind)


Severity = Literal["error", "warning"]


class Check(_Strict):
    """One relationship check of config/checks.toml (contract §3 "Checks are data"), its ``columns`` template expanded.

    Grain: it judges one row of ``table`` at a time (one school, or school × stage), against the
    columns of another table of the same school matched by stage or summed over the school's rows.
    ``column`` is the template's column this check stands for (None for an entry without ``columns``).
    """

    code: str = Field(pattern=r"^[a-z0-9_]+$")
    severity: Severity
    table: str
    condition: str
    message_zh: str
    message_en: str
    columns: tuple[str, ...] = ()
    column: str | None = None
    stages: tuple[str, ...] = ()
    school_types: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    ownership: tuple[str, ...] = ()
    is_inclusive: bool | None = None

    _tuples = field_validator("columns", "stages", "school_types", "areas", "ownership", mode="before")(_as_tuple)

    def filter_term(self) -> Term:
        """The check's filters as an indicator term over its table, so that both are checked and compiled by one code."""
        return Term(
            table=self.table, stages=self.stages, school_types=self.school_types, areas=self.areas,
            ownership=self.ownership, is_inclusive=self.is_inclusive,
        )


class Checks(_Strict):
    """Every check of the checks file, in file order (an entry with ``columns`` stands for one check per column)."""

    checks: tuple[Check, ...]

    def codes(self) -> tuple[str, ...]:
        """The distinct check codes, in file order."""
        return tuple(dict.fromkeys(check.code for check in self.checks))
