"""The checks file's entries → the typed Checks: templates expanded, every entry checked against the tables of §2.

Every problem of every entry is collected and the file refused at once (the catalogue's
CatalogueError, one line per problem naming the file, the entry's code and the key, in Chinese and
English), before any input of a run is read.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from config import CatalogueError, Check, Checks, Rules
from config.check_conditions import OPERATORS, Column, ConditionSyntaxError, columns_of, parse_condition, parse_expression
from schemas.catalogue.problems import Problem, choices, refusal_line, validation_problems
from schemas.catalogue.terms import NUMERIC_KINDS, ROW_FILTERS, term_problems
from schemas.messages import MESSAGES, render
from schemas.tables import TABLES

GENERIC_PLACEHOLDERS = ("value", "column", "column_zh", "stage", "stage_zh", "stage_en")
"""Message placeholders every check may use: the judged cell's value, column and Chinese header, and the row's stage."""

COLUMN_PLACEHOLDER = "{column}"
"""What a ``columns`` template's condition writes where each of its columns goes."""


def table_columns(table: str) -> dict[str, str]:
    """Every column of ``table`` a check may read, with its kind."""
    return {c.name: c.kind for c in TABLES[table].columns}


def own_columns(check: Check) -> tuple[str, ...]:
    """Columns of the check's own table its condition reads, in the order written (the first one is the judged cell)."""
    return tuple(c.name for c in columns_of(parse_condition(check.condition)) if c.table in (None, check.table))


def _column_problems(column: Column, table: str, key: str) -> list[Problem]:
    """An unknown or non-numeric column, a column of another table written without it, or an unusable other table."""
    other = column.table if column.table not in (None, table) else None
    if other is not None:
        if other not in TABLES:
            return [(key, "catalogue_unknown_table", {"value": other, "choices": choices(TABLES)})]
        if "population" in (table, other):
            return [(key, "check_population_other", {"table": table, "other": other})]
    where = other or table
    kinds = table_columns(where)
    if column.name not in kinds:
        owners = [name for name in TABLES if column.name in table_columns(name)]
        if other is None and owners:
            return [(key, "check_column_of_other_table", {"value": column.name, "table": table, "other": owners[0]})]
        return [(key, "catalogue_unknown_column", {"value": column.name, "table": where, "choices": choices(kinds)})]
    if kinds[column.name] not in NUMERIC_KINDS:
        return [(key, "catalogue_not_numeric", {"value": column.text()})]
    return []


def _condition_problems(check: Check) -> list[Problem]:
    try:
        condition = parse_condition(check.condition)
    except ConditionSyntaxError as error:
        if error.operator is not None:
            return [("condition", "catalogue_unknown_operator", {"operator": error.operator, "condition": check.condition, "choices": " ".join(OPERATORS)})]
        return [("condition", "check_unreadable_condition", {"condition": check.condition})]
    problems = [p for column in columns_of(condition) for p in _column_problems(column, check.table, "condition")]
    if not problems and not own_columns(check):
        problems.append(("condition", "check_no_own_column", {"table": check.table}))
    return problems


def _message_problems(check: Check) -> list[Problem]:
    problems: list[Problem] = []
    for key in ("message_zh", "message_en"):
        text = getattr(check, key)
        try:
            fields = [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]
        except ValueError:
            problems.append((key, "check_unreadable_message", {"message": text}))
            continue
        for field in fields:
            if field in GENERIC_PLACEHOLDERS:
                continue
            try:
                expression = parse_expression(field)
            except ConditionSyntaxError:
                problems.append((key, "check_unknown_placeholder", {"name": field, "choices": choices(GENERIC_PLACEHOLDERS)}))
                continue
            problems += [p for column in columns_of(expression) for p in _column_problems(column, check.table, key)]
    return problems


def _filter_problems(check: Check, rules: Rules) -> list[Problem]:
    if check.table == "population":
        return [(name, "catalogue_population_filter", {"value": name}) for name in ROW_FILTERS if getattr(check, name) not in ((), None)]
    return [(key.lstrip("."), rule, fields) for key, rule, fields in term_problems(check.filter_term(), "", rules)]


def check_problems(check: Check, rules: Rules) -> list[Problem]:
    """Every problem of one expanded check against the tables of §2 and ``rules``."""
    if check.table not in TABLES:
        return [("table", "catalogue_unknown_table", {"value": check.table, "choices": choices(TABLES)})]
    return _condition_problems(check) + _filter_problems(check, rules) + _message_problems(check)


def _expand(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry → one dict per column of its ``columns`` template (the entry itself when it has none)."""
    columns = entry.get("columns")
    if not columns:
        return [entry]
    if isinstance(columns, str):
        columns = [columns]
    return [entry | {"column": column, "condition": str(entry.get("condition", "")).replace(COLUMN_PLACEHOLDER, str(column))} for column in columns]


def _entry_problems(entry: dict[str, Any], rules: Rules) -> tuple[list[Check], list[Problem]]:
    checks: list[Check] = []
    problems: list[Problem] = []
    if entry.get("columns") and COLUMN_PLACEHOLDER not in str(entry.get("condition", "")):
        problems.append(("condition", "check_template_without_column", {}))
    for row in _expand(entry):
        try:
            check = Check.model_validate(row)
        except ValidationError as error:
            return [], problems + validation_problems(error)
        found = check_problems(check, rules)
        if check.column is not None and check.table in TABLES and check.column not in table_columns(check.table):
            found.insert(0, ("columns", "catalogue_unknown_column", {"value": check.column, "table": check.table, "choices": choices(table_columns(check.table))}))
        problems += [p for p in found if p not in problems]
        checks.append(check)
    return checks, problems


def _line(path: Path, code: str, problem: Problem) -> tuple[str, str]:
    return refusal_line("checks_refused", path, code, problem)


def build_checks(data: dict[str, Any], rules: Rules, path: Path) -> Checks:
    """The Checks of the parsed file ``data``; CatalogueError with every problem of every entry when there is any."""
    lines: list[tuple[str, str]] = []
    checks: list[Check] = []
    seen: set[str] = set()
    entries = data.get("check", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise CatalogueError([render("checks_refused", file=path, code="-", key="check", problem_zh="应为 [[check]] 条目", problem_en="must be [[check]] entries")])
    for entry in entries:
        code = str(entry.get("code"))
        entry_checks, problems = _entry_problems(dict(entry), rules)
        if code in seen:
            problems.append(("code", "catalogue_duplicate_code", {}))
        elif code in MESSAGES:
            problems.append(("code", "check_code_taken", {}))
        seen.add(code)
        lines += [_line(path, code, problem) for problem in problems]
        if not problems:
            checks += entry_checks
    if lines:
        raise CatalogueError(lines)
    return Checks(checks=tuple(checks))
