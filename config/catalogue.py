"""The indicator catalogue of config/indicators.toml as typed models: its terms, their conditions, one Indicator per code.

Only the shape of each entry is checked here; whether a term's table and columns exist is checked against the tables'
contract one layer up (schemas.catalogue), which builds the Catalogue.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from config.strict import Strict, as_tuple
from config.term_conditions import OPERATORS, comparison_operator, parse_condition

IndicatorKind = Literal["ratio", "sum", "count", "growth", "balance"]

TERM_KINDS: tuple[IndicatorKind, ...] = ("ratio", "sum", "count")
"""Kinds defined in the catalogue by their terms; growth and balance are built in."""


class Condition(Strict):
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



class Term(Strict):
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

    _tuples = field_validator("sum", "stages", "school_types", "areas", "ownership", "where", mode="before")(as_tuple)

    @property
    def is_count(self) -> bool:
        """True when the term counts schools instead of summing columns."""
        return not self.sum

    def columns(self) -> tuple[str, ...]:
        """Every column of the table the term reads: summed ones and those its conditions compare."""
        return tuple(dict.fromkeys([*self.sum, *(c for condition in self.where for c in condition.columns())]))


class Indicator(Strict):
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


class Catalogue(Strict):
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
