"""The relationship checks of config/checks.toml run on a year's staged tables (pure): one issue per row that breaks one.

Contract §3 "Checks are data". The checks of one table are judged together: its rows once, with the
school's attributes (for the filters) and each other table's columns it reads joined once — matched
by stage when both tables have one, else summed over the school's rows.

A condition does not apply to a row where a column it reads is empty (missing is not zero) or
negative (the cell already carries its own error: one mistake, one issue), nor where it divides by 0.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import reduce

import polars as pl

from config import Check, Checks, Rules
from config.check_conditions import Arithmetic, Column, Comparison, Condition, Expression, Logical, Number, columns_of, parse_condition, parse_expression
from schemas.catalogue.checks_file import GENERIC_PLACEHOLDERS, own_columns
from schemas.issues import ISSUE_COLUMNS, concat_issues, empty_issues
from schemas.keys import first_per_key
from schemas.locate import locate
from schemas.row_filter import term_filter
from schemas.tables import PROVENANCE_COLUMNS, TABLES

SCHOOL_ATTRIBUTES = ("school_type_code", "urban_rural_code", "ownership", "is_inclusive")
"""What the filters read of a row's school (from its registry row)."""

FILTERED_BY_SCHOOL = ("school_types", "areas", "ownership", "is_inclusive")

BROKEN = "__broken_"
"""Prefix of the column holding, row by row, whether the table's check number N is broken."""


def _name(column: Column, table: str) -> str:
    """The frame column holding ``column`` for a check over ``table``: its own name, or ``other.name``."""
    return column.name if column.table in (None, table) else column.text()


def compile_expression(node: Expression, table: str) -> pl.Expr:
    """An expression of a check over ``table`` in Polars: a division by 0 gives null (no value), never infinity."""
    if isinstance(node, Number):
        return pl.lit(node.value)
    if isinstance(node, Column):
        return pl.col(_name(node, table))
    left, right = compile_expression(node.left, table), compile_expression(node.right, table)
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    if node.op == "*":
        return left * right
    return pl.when(right != 0).then(left / right)


def compile_condition(node: Condition, table: str) -> pl.Expr:
    """A condition of a check over ``table`` in Polars: True where it holds, False where it does not, null where it cannot say."""
    if isinstance(node, Logical):
        parts = [compile_condition(part, table) for part in node.parts]
        return reduce((lambda a, b: a & b) if node.op == "and" else (lambda a, b: a | b), parts)
    assert isinstance(node, Comparison)
    left, right = compile_expression(node.left, table), compile_expression(node.right, table)
    return {
        "<=": left <= right, "<": left < right, ">=": left >= right, ">": left > right, "==": left == right, "!=": left != right,
    }[node.op]


def broken(check: Check) -> pl.Expr:
    """True on the rows of the check's table where its condition applies and does not hold."""
    condition = parse_condition(check.condition)
    read = [pl.col(_name(column, check.table)) for column in columns_of(condition)]
    applies = pl.all_horizontal([column.is_not_null() & (column >= 0) for column in read])
    return applies & compile_condition(condition, check.table).not_().fill_null(False)


def _other_keys(table: str, other: str) -> list[str]:
    both_staged = "stage" in TABLES[table].column_names and "stage" in TABLES[other].column_names
    return ["school_code", "stage"] if both_staged else ["school_code"]


def _known_sum(column: str, alias: str) -> pl.Expr:
    """Σ ``column`` over a school's (or school × stage's) rows; null when a cell of it is empty or negative (missing is not zero)."""
    known = (pl.col(column).null_count() == 0) & (pl.col(column).min() >= 0)
    return pl.when(known).then(pl.col(column).sum()).alias(alias)


def _reads(table: str, checks: list[Check]) -> dict[str | None, set[str]]:
    """The columns the checks of ``table`` read: table (None for its own) → column names."""
    read: dict[str | None, set[str]] = {}
    for check in checks:
        for column in columns_of(parse_condition(check.condition)) + _placeholder_columns(check):
            other = None if column.table in (None, table) else column.table
            read.setdefault(other, set()).add(column.name)
    return read


def _sums(by_table: dict[str, list[Check]], tables: Mapping[str, pl.DataFrame]) -> dict[tuple[str, tuple[str, ...]], pl.LazyFrame]:
    """Each other table's columns that checks read, summed once per school (× stage) for all the checks that need them (plans)."""
    needed: dict[tuple[str, tuple[str, ...]], set[str]] = {}
    for table, checks in by_table.items():
        for other, columns in _reads(table, checks).items():
            if other is not None and other in tables and tables[other].height:
                needed.setdefault((other, tuple(_other_keys(table, other))), set()).update(columns)
    return {
        (other, on): tables[other].lazy().drop_nulls(list(on)).group_by(list(on)).agg(_known_sum(name, f"{other}.{name}") for name in sorted(columns))
        for (other, on), columns in needed.items()
    }


def _joined(table: str, checks: list[Check], tables: Mapping[str, pl.DataFrame], sums: dict[tuple[str, tuple[str, ...]], pl.LazyFrame]) -> pl.LazyFrame:
    """The rows of ``table`` with every column its checks' conditions read: their own, other tables' per school (× stage) (a plan)."""
    frame = tables[table]
    read = _reads(table, checks)
    keys = [c for c in ("school_code", "stage") if c in frame.columns]
    own = sorted(read.get(None, set()) - set(keys))
    rows = frame.lazy().select(*keys, *own, *PROVENANCE_COLUMNS)
    for other, columns in sorted((o, c) for o, c in read.items() if o is not None):
        on = tuple(_other_keys(table, other))
        if (other, on) not in sums:
            rows = rows.with_columns(pl.lit(None, dtype=pl.Float64).alias(f"{other}.{name}") for name in sorted(columns))
            continue
        rows = rows.join(sums[(other, on)].select(*on, *(f"{other}.{name}" for name in sorted(columns))), on=list(on), how="left")
    return rows


def _with_schools(rows: pl.DataFrame, checks: list[Check], registry: pl.LazyFrame | None) -> pl.DataFrame:
    """``rows`` (few: those breaking a condition) with their school's attributes, which the checks' filters read."""
    if registry is not None and rows.height and any(getattr(check, name) not in ((), None) for check in checks for name in FILTERED_BY_SCHOOL):
        codes = rows.get_column("school_code").drop_nulls().unique()
        rows = rows.join(registry.filter(pl.col("school_code").is_in(codes.implode())).collect(), on="school_code", how="left")
    # Without a registry no row's school is known: the filters take none (missing_sheet names the gap).
    return rows.with_columns(pl.lit(None, dtype=pl.String).alias(name) for name in SCHOOL_ATTRIBUTES if name not in rows.columns)


def _placeholders(text: str) -> list[str]:
    return [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]


def _placeholder_columns(check: Check) -> tuple[Column, ...]:
    fields = [f for text in (check.message_zh, check.message_en) for f in _placeholders(text) if f not in GENERIC_PLACEHOLDERS]
    return tuple(column for field in fields for column in columns_of(parse_expression(field)))


def _message(text: str, values: dict[str, pl.Expr]) -> pl.Expr:
    parts: list[pl.Expr] = []
    for literal, field, _, _ in string.Formatter().parse(text):
        if literal:
            parts.append(pl.lit(literal, dtype=pl.String))
        if field is not None:
            parts.append(values[field].fill_null(""))
    return pl.concat_str(parts) if parts else pl.lit("", dtype=pl.String)


def _shown(field: str, rows: pl.DataFrame, table: str) -> pl.Expr:
    """A placeholder's value as text: a column as it is, a computed value to one decimal."""
    expression = parse_expression(field)
    compiled = compile_expression(expression, table)
    if isinstance(expression, Column):
        return compiled.cast(pl.String)
    dtype = rows.select(compiled).to_series().dtype if rows.height else pl.Float64()
    return (compiled.round(1) if dtype.is_float() else compiled).cast(pl.String)


def _issues(check: Check, rows: pl.DataFrame, headers: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """One issue per row of ``rows`` (the rows breaking ``check``), at the cell of its condition's first own column."""
    first = own_columns(check)[0]
    spec = TABLES[check.table].column(first)
    values: dict[str, pl.Expr] = {
        "value": pl.col(first).cast(pl.String),
        "column": pl.lit(first),
        "column_zh": pl.lit(spec.header_zh),
    }
    if "stage" in rows.columns:
        values["stage"] = pl.col("stage")
        values["stage_zh"] = pl.col("stage").replace_strict({c: i.name_zh for c, i in rules.stages.items()}, default=pl.col("stage"))
        values["stage_en"] = pl.col("stage").replace_strict({c: i.name_en for c, i in rules.stages.items()}, default=pl.col("stage"))
    for field in {*_placeholders(check.message_zh), *_placeholders(check.message_en)} - set(values):
        values[field] = _shown(field, rows, check.table)
    located = locate(rows, check.table, first, headers)
    columns = {
        "severity": pl.lit(check.severity),
        "table_name": pl.lit(check.table),
        "value": values["value"],
        "rule": pl.lit(check.code),
        "message_zh": _message(check.message_zh, values),
        "message_en": _message(check.message_en, values),
    }
    return located.select(
        (columns[name] if name in columns else pl.col(name) if name in located.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in ISSUE_COLUMNS.items()
    )


def _wrong(check: Check, rules: Rules) -> pl.Expr:
    """True on the rows of the check's table that break it: its condition broken, and the row among those its filters take."""
    wrong = broken(check)
    if check.stages or any(getattr(check, name) not in ((), None) for name in FILTERED_BY_SCHOOL):
        wrong = wrong & term_filter(check.filter_term(), rules).fill_null(False)
    return wrong


def check_issues(checks: Checks, tables: Mapping[str, pl.DataFrame], headers: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """Every row of the year's ``tables`` that breaks a check of ``checks``: one issue per row and check, errors and warnings."""
    by_table: dict[str, list[Check]] = {}
    for check in checks.checks:
        by_table.setdefault(check.table, []).append(check)
    # The sums are read by several tables' plans: collected first, they are computed once.
    planned = _sums(by_table, tables)
    sums = {key: frame.lazy() for key, frame in zip(planned, pl.collect_all(list(planned.values())), strict=True)}
    schools = tables.get("schools")
    registry = (
        first_per_key(schools.select("school_code", *SCHOOL_ATTRIBUTES).drop_nulls("school_code"), ["school_code"])
        if schools is not None and schools.height
        else None
    )
    # One plan per table: every check's condition judged in one pass over its joined rows, and only the rows breaking
    # at least one kept (a national year has millions of rows and a few dozen problems); all plans run together.
    # Those few rows are then given their school's attributes and judged again, filters included: a row whose
    # condition holds is never wrong, so the filters need not be read for the others.
    judged = [(table, table_checks) for table, table_checks in by_table.items() if table in tables and tables[table].height]
    plans = [_joined(table, table_checks, tables, sums).filter(pl.any_horizontal(broken(check) for check in table_checks)) for table, table_checks in judged]
    frames: list[pl.DataFrame] = []
    for (_, table_checks), rows in zip(judged, pl.collect_all(plans), strict=True):
        flags = [f"{BROKEN}{i}" for i in range(len(table_checks))]
        rows = _with_schools(rows, table_checks, registry).with_columns(
            _wrong(check, rules).alias(flag) for flag, check in zip(flags, table_checks, strict=True)
        )
        for flag, check in zip(flags, table_checks, strict=True):
            offending = rows.filter(pl.col(flag)).drop(flags)
            if offending.height:
                frames.append(_issues(check, offending, headers, rules))
    return concat_issues(frames) if frames else empty_issues()
