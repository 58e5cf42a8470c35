"""The Pandera schema of a contract table, built from its ``TableSpec``: one column per provenance and contract column.

Each column's dtype and checks follow from its kind (a code of n digits, a count ≥ 0, a stage or an
ownership of the contract's lists); the table's own ``checks`` follow, those that need the configuration.
Custom checks are named by their rule code, which is what a failure reports.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from config import STAGES, Rules
from schemas.spec import KIND_DTYPES, PROVENANCE_DTYPES, ColumnCheck, ColumnSpec, TableSpec, one_of

OWNERSHIPS = ("public", "private")
"""Staged 举办者类型 values."""


def digits(count: int) -> str:
    """Regex of a code of exactly ``count`` ASCII digits."""
    return rf"^[0-9]{{{count}}}$"


def _check(check: ColumnCheck, rules: Rules) -> pa.Check:
    passes = check.passes(rules)
    return pa.Check(lambda data: data.lazyframe.select(passes.alias(data.key)), name=check.rule, ignore_na=check.ignore_na)


def _kind_checks(column: ColumnSpec, rules: Rules) -> list[pa.Check]:
    """The checks every column of this kind carries, whatever the table."""
    if column.kind in ("integer", "number"):
        return [pa.Check.greater_than_or_equal_to(0)]
    if column.kind == "code" and column.digits:
        return [pa.Check.str_matches(digits(column.digits))]
    if column.kind == "stage":
        return [_check(ColumnCheck(column.name, "unknown_stage", lambda _: one_of(column.name, STAGES)), rules)]
    if column.kind == "ownership":
        return [_check(ColumnCheck(column.name, "unknown_ownership", lambda _: one_of(column.name, OWNERSHIPS)), rules)]
    return []


def _column(column: ColumnSpec, spec: TableSpec, rules: Rules) -> pa.Column:
    own = [_check(check, rules) for check in spec.checks if check.column == column.name]
    return pa.Column(getattr(pl, KIND_DTYPES[column.kind]), checks=[*_kind_checks(column, rules), *own], nullable=not column.required)


def _provenance() -> dict[str, pa.Column]:
    checks = {"source_row": [pa.Check.greater_than_or_equal_to(1)]}
    return {name: pa.Column(getattr(pl, dtype), checks=checks.get(name), nullable=False) for name, dtype in PROVENANCE_DTYPES.items()}


def pandera_schema(spec: TableSpec, rules: Rules) -> pa.DataFrameSchema:
    """The Pandera schema that enforces ``spec``'s contract rules on its staged frame (one row per source row).

    Strict: a staged frame holds the provenance and contract columns and nothing else. An empty
    required cell fails as not_nullable, which validation skips (ingest reported it while the clerk's
    text was known); an optional column may be empty.
    """
    columns = _provenance() | {c.name: _column(c, spec, rules) for c in spec.columns}
    return pa.DataFrameSchema(columns, strict=True, coerce=False, name=spec.name)
