"""The rules of config/rules.toml as typed models: stages, school types and groups, standards, thresholds, ceilings,
targets, limits and the schedule.

The ceilings and the outliers' columns name columns of the input tables, which config/ does not know: the layer that
knows them (schemas.rules.load_rules) passes the numeric columns in as the validation context ``numeric_columns``
(table → its numeric columns), and they are checked against it; without that context they are not.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from config.strict import Strict

STAGES: tuple[str, ...] = ("preschool", "primary", "junior", "senior", "vocational", "higher_vocational")


def _numeric_columns(info: ValidationInfo) -> dict[str, tuple[str, ...]] | None:
    """The numeric columns of every input table the loader passed as context (table → columns); None when it passed none."""
    return (info.context or {}).get("numeric_columns")


class StageInfo(Strict):
    """One stage (学段): its names and the spellings a clerk may use."""

    name_zh: str
    name_en: str
    aliases: tuple[str, ...]


class SchoolType(Strict):
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

    def codes_of(self, values: tuple[str, ...]) -> list[str]:
        """The 办学类型代码 of ``values`` (group names or codes), groups expanded, each once, in the order written."""
        groups = self.by_name()
        return list(dict.fromkeys(code for value in values for code in groups.get(value, (value,))))


class GuardStandard(Strict):
    """公治〔2015〕168号: guards required for a school with n students and staff."""

    small_school_below: int = Field(gt=0)
    small_school_guards: int = Field(ge=0)
    medium_school_up_to: int = Field(gt=0)
    medium_school_guards: int = Field(ge=0)
    extra_guard_per: int = Field(gt=0)


class Balance(Strict):
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


class Warnings(Strict):
    """Thresholds of the non-blocking checks."""

    students_change_limit: float = Field(gt=0)


class Outliers(Strict):
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
    def _known_columns(self, info: ValidationInfo) -> Outliers:
        columns = _numeric_columns(info)
        if columns is None:
            return self
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


class Completeness(Strict):
    """Class sizes of the completeness check inconsistent_class_sizes (contract §3)."""

    large_class_above: int = Field(gt=0)
    super_large_class_above: int = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> Completeness:
        if self.super_large_class_above < self.large_class_above:
            raise ValueError("super_large_class_above must be at least large_class_above")
        return self


class Limits(Strict):
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


class Ceiling(Strict):
    """The plausible magnitude of one column, per row: above ``unusual`` a warning, above ``impossible`` an error."""

    unusual: float = Field(gt=0, allow_inf_nan=False)
    impossible: float = Field(gt=0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _ordered(self) -> Ceiling:
        if self.unusual >= self.impossible:
            raise ValueError("unusual must be below impossible")
        return self


def _check_ceilings(ceilings: dict[str, dict[str, Ceiling]], numeric: dict[str, tuple[str, ...]]) -> dict[str, dict[str, Ceiling]]:
    """Every numeric column of every input table has exactly one ceiling, and every ceiling names such a column."""
    expected = {(table, column) for table, columns in numeric.items() for column in columns}
    declared = {(table, column) for table, columns in ceilings.items() for column in columns}
    missing, unknown = sorted(expected - declared), sorted(declared - expected)
    if missing:
        raise ValueError(f"numeric columns without a ceiling: {', '.join(f'{t}.{c}' for t, c in missing)}")
    if unknown:
        raise ValueError(f"ceilings for unknown columns: {', '.join(f'{t}.{c}' for t, c in unknown)}")
    return ceilings


class Schedule(Strict):
    """The yearly deployment's schedule and input folder."""

    cron: str
    timezone: str
    input_pattern: str


REPORT_UNITS: tuple[str, ...] = ("percent", "count", "classes", "persons", "person_times", "10k_yuan", "yuan", "ratio", "coefficient", "flag")
"""The units an indicator may have (config/indicators.toml `unit`)."""


class ReportRules(Strict):
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


class Rules(Strict):
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
    def _every_numeric_column(cls, value: dict[str, dict[str, Ceiling]], info: ValidationInfo) -> dict[str, dict[str, Ceiling]]:
        numeric = _numeric_columns(info)
        return value if numeric is None else _check_ceilings(value, numeric)
