"""The relationship checks of config/checks.toml as typed models: one Check per entry (per column of a template).

Whether a check's columns exist is checked against the tables' contract one layer up (schemas.catalogue), which builds
the Checks.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from config.catalogue import Term
from config.strict import Strict, as_tuple

Severity = Literal["error", "warning"]


class Check(Strict):
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

    _tuples = field_validator("columns", "stages", "school_types", "areas", "ownership", mode="before")(as_tuple)

    def filter_term(self) -> Term:
        """The check's filters as an indicator term over its table, so that both are checked and compiled by one code."""
        return Term(
            table=self.table, stages=self.stages, school_types=self.school_types, areas=self.areas,
            ownership=self.ownership, is_inclusive=self.is_inclusive,
        )


class Checks(Strict):
    """Every check of the checks file, in file order (an entry with ``columns`` stands for one check per column)."""

    checks: tuple[Check, ...]

    def codes(self) -> tuple[str, ...]:
        """The distinct check codes, in file order."""
        return tuple(dict.fromkeys(check.code for check in self.checks))
