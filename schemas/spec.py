"""How a contract table is declared: its columns (name, headers, kind, unit, rule) and its grain.

One ``TableSpec`` per table, in ``schemas/<table>.py``; everything else (the Pandera schema, the
staged dtypes, the warehouse table, the template, the messages' column names) is derived from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import polars as pl

if TYPE_CHECKING:
    from config import Rules

ColumnKind = Literal["code", "text", "stage", "ownership", "yes_no", "integer", "number"]

KIND_DTYPES: dict[ColumnKind, str] = {
    "code": "String",
    "text": "String",
    "stage": "String",
    "ownership": "String",
    "yes_no": "Boolean",
    "integer": "Int64",
    "number": "Float64",
}
"""Polars dtype name of each column kind once staged (codes and text as String, stage as its English code,
ownership as "public"/"private", yes/no as Boolean)."""

PROVENANCE_COLUMNS = ("source_file", "source_sheet", "source_row")
"""Added to every staged row: the file, the sheet and the row number as Excel shows it."""

PROVENANCE_DTYPES = {"source_file": "String", "source_sheet": "String", "source_row": "Int64"}
"""Polars dtype name of each provenance column."""


@dataclass(frozen=True)
class ColumnSpec:
    """One contract column: its name, the headers a clerk may write, its kind, and the rule it shares with other columns.

    ``rule_zh``/``rule_en`` state a cross-column rule of contract §2 that a clerk needs to read next to the
    column (the template shows them); the kind's own rule (a number ≥ 0, a code of n digits…) is not repeated there.
    """

    name: str
    header_zh: str
    kind: ColumnKind
    required: bool = True
    digits: int | None = None
    unit_zh: str | None = None
    aliases: tuple[str, ...] = ()
    rule_zh: str = ""
    rule_en: str = ""

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header text that names this column (English name, Chinese header, aliases)."""
        return (self.name, self.header_zh, *self.aliases)


@dataclass(frozen=True)
class Grain:
    """What one row of a table stands for: its key, and the words of each place that says it."""

    key: tuple[str, ...]
    """The columns that identify a row."""
    en: str
    """The grain in English: "one row per school"."""
    zh: str
    """The grain in Chinese, as the template shows it: "每校一行"."""
    row_en: str
    """One row's subject in a message: "a school"."""
    row_zh: str
    """One row's subject in a Chinese message: "每所学校"."""


PER_SCHOOL = Grain(("school_code",), "one row per school", "每校一行", "a school", "每所学校")
PER_SCHOOL_STAGE = Grain(("school_code", "stage"), "one row per school per stage", "每校每学段一行", "a school and stage", "每所学校每个学段")
PER_COUNTY = Grain(("county_code",), "one row per county", "每县一行", "a county", "每个县")


@dataclass(frozen=True)
class ColumnCheck:
    """A rule of one column that its kind does not imply: true on every row that passes, named by its rule code.

    ``passes`` builds the row condition from the configuration (rules.toml), so that code lists live there.
    ``ignore_na=False`` when the failing cells are the empty ones.
    """

    column: str
    rule: str
    passes: Callable[[Rules], pl.Expr]
    ignore_na: bool = True


@dataclass(frozen=True)
class TableSpec:
    """One contract table: its sheet names, its grain, its columns and the checks of its columns beyond their kinds."""

    name: str
    sheet_zh: str
    grain: Grain
    columns: tuple[ColumnSpec, ...]
    checks: tuple[ColumnCheck, ...] = ()

    @property
    def key(self) -> tuple[str, ...]:
        """The columns that identify a row (the grain's)."""
        return self.grain.key

    @property
    def sheet_names(self) -> tuple[str, ...]:
        """Sheet (or CSV file) names that identify this table."""
        return (self.sheet_zh, self.name)

    @property
    def column_names(self) -> tuple[str, ...]:
        """Contract column names, in contract order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> ColumnSpec:
        """The column spec called ``name``."""
        return next(c for c in self.columns if c.name == name)


def one_of(column: str, allowed: tuple[str, ...] | list[str]) -> pl.Expr:
    """One boolean per row: ``column`` holds one of ``allowed`` (null passes: an empty cell is ingest's to report)."""
    return pl.col(column).is_null() | pl.col(column).is_in(list(allowed))


def integer(name: str, header_zh: str, *aliases: str, rule: tuple[str, str] = ("", "")) -> ColumnSpec:
    """A required whole-number column; ``rule`` its cross-column rule (zh, en), if any."""
    return ColumnSpec(name, header_zh, "integer", aliases=aliases, rule_zh=rule[0], rule_en=rule[1])


def number(name: str, header_zh: str, unit_zh: str | None = None, rule: tuple[str, str] = ("", "")) -> ColumnSpec:
    """A required decimal column in ``unit_zh``; ``rule`` its cross-column rule (zh, en), if any."""
    return ColumnSpec(name, header_zh, "number", unit_zh=unit_zh, rule_zh=rule[0], rule_en=rule[1])


def yes_no(name: str, header_zh: str) -> ColumnSpec:
    """A required yes/no column."""
    return ColumnSpec(name, header_zh, "yes_no")


def at_most(column: ColumnSpec) -> tuple[str, str]:
    """The rule "≤ ``column``" in Chinese and English, naming it by its header and its name."""
    return f"≤ {column.header_zh}", f"≤ {column.name}"


SCHOOL_CODE = ColumnSpec("school_code", "学校标识码", "code", digits=10)
STAGE = ColumnSpec("stage", "学段", "stage")
COUNTY_CODE = ColumnSpec("county_code", "行政区划代码", "code", digits=6)
