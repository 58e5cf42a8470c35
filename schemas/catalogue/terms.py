"""What makes a catalogue entry's terms wrong (contract §4 "Indicators are data"), found before any input is read.

Each problem is a schemas.catalogue.problems.Problem; the builder adds the file and the entry's code, and refuses the
catalogue when there is any. The checks file's filters are checked here too, as a term over the check's table.
"""

from __future__ import annotations

from config import TERM_KINDS, Condition, Indicator, Rules, Term
from config.limits import code_problem
from schemas.catalogue.problems import Problem, choices
from schemas.tables import DERIVED_COLUMNS, TABLES, ColumnKind, ColumnSpec

NUMERIC_KINDS: tuple[ColumnKind, ...] = ("integer", "number")
OWNERSHIPS = ("public", "private")
ROW_FILTERS = ("stages", "school_types", "areas", "ownership", "is_inclusive")
"""Keys of a term (or a check) that choose its rows by the school's stage, type, area, ownership and inclusiveness."""
SCHOOL_FILTERS = (*ROW_FILTERS, "where")
"""Term keys besides table and sum; a population term takes none of them."""


def term_columns(table: str) -> dict[str, ColumnSpec]:
    """Every column a term over ``table`` may read: the table's own and its derived ones, by name."""
    return {c.name: c for c in (*TABLES[table].columns, *DERIVED_COLUMNS.get(table, ()))}


def column_kinds(table: str) -> dict[str, ColumnKind]:
    """Every column a term over ``table`` may read, with its kind."""
    return {name: spec.kind for name, spec in term_columns(table).items()}


def _column_problem(table: str, column: str, key: str) -> Problem | None:
    """An unknown column of ``table``, or one of another table, as a problem; None when the table has it."""
    if column in column_kinds(table):
        return None
    others = [name for name in TABLES if name != table and column in column_kinds(name)]
    if others:
        return key, "catalogue_column_of_other_table", {"value": column, "table": table, "other": others[0]}
    return key, "catalogue_unknown_column", {"value": column, "table": table, "choices": choices(column_kinds(table))}


def _condition_problems(condition: Condition, table: str, key: str) -> list[Problem]:
    problems = [p for column in condition.columns() if (p := _column_problem(table, column, key)) is not None]
    if problems:
        return problems
    kinds = column_kinds(table)
    if condition.operator is None:
        if kinds[condition.column] != "yes_no":
            return [(key, "catalogue_not_yes_no", {"value": condition.column})]
        return []
    return [(key, "catalogue_not_numeric", {"value": c}) for c in condition.columns() if kinds[c] not in NUMERIC_KINDS]


def _population_problems(term: Term, key: str) -> list[Problem]:
    filters = [name for name in SCHOOL_FILTERS if getattr(term, name) not in ((), None)]
    problems: list[Problem] = [(f"{key}.{name}", "catalogue_population_filter", {"value": name}) for name in filters]
    if term.is_count:
        problems.append((key, "catalogue_population_count", {}))
    return problems


def term_problems(term: Term, key: str, rules: Rules) -> list[Problem]:
    """Every problem of one term (``key``: numerator or denominator) against the tables of §2 and ``rules``."""
    if term.table not in TABLES:
        return [(f"{key}.table", "catalogue_unknown_table", {"value": term.table, "choices": choices(TABLES)})]
    table = term.table
    problems: list[Problem] = []
    for column in term.sum:
        problem = _column_problem(table, column, f"{key}.sum")
        if problem is not None:
            problems.append(problem)
        elif column_kinds(table)[column] not in NUMERIC_KINDS:
            problems.append((f"{key}.sum", "catalogue_text_sum", {"value": column}))
    if table == "population":
        return problems + _population_problems(term, key)
    if term.stages and "stage" not in column_kinds(table):
        problems.append((f"{key}.stages", "catalogue_no_stage_column", {"table": table}))
    problems += [
        (f"{key}.stages", "catalogue_unknown_stage", {"value": stage, "choices": choices(rules.stages)})
        for stage in term.stages
        if stage not in rules.stages and "stage" in column_kinds(table)
    ]
    groups = rules.school_groups.by_name()
    problems += [
        (f"{key}.school_types", "catalogue_unknown_school_type", {"value": value, "choices": choices(groups)})
        for value in term.school_types
        if value not in groups and value not in rules.school_types
    ]
    areas = dict.fromkeys(rules.urban_rural.values())
    problems += [
        (f"{key}.areas", "catalogue_unknown_area", {"value": area, "choices": choices(areas)}) for area in term.areas if area not in areas
    ]
    problems += [
        (f"{key}.ownership", "catalogue_unknown_ownership", {"value": value, "choices": choices(OWNERSHIPS)})
        for value in term.ownership
        if value not in OWNERSHIPS
    ]
    for position, condition in enumerate(term.where):
        problems += _condition_problems(condition, table, f"{key}.where[{position}]")
    return problems


def shape_problems(kind: object, has_numerator: bool, has_denominator: bool) -> list[Problem]:
    """Problems of an entry's kind against the sides it has: a ratio needs both, a sum or count a numerator only, growth and balance none."""
    if kind not in TERM_KINDS:
        return [("numerator", "catalogue_terms_on_builtin", {"kind": kind})] if has_numerator or has_denominator else []
    problems: list[Problem] = [] if has_numerator else [("numerator", "catalogue_no_numerator", {"kind": kind})]
    if kind == "ratio" and not has_denominator:
        problems.append(("denominator", "catalogue_no_denominator", {}))
    if kind != "ratio" and has_denominator:
        problems.append(("denominator", "catalogue_extra_denominator", {"kind": kind}))
    return problems


def balance_problems(indicator: Indicator, rules: Rules) -> list[Problem]:
    """Problems of a balance entry: it names its statistic, a stage of rules.toml [balance] and, for a CV, one of its measures."""
    if indicator.statistic is None:
        return [("statistic", "catalogue_balance_statistic", {})]
    balance = rules.balance
    if indicator.stage not in balance.stages:
        return [("stages", "catalogue_balance_stage", {"value": indicator.stage, "choices": choices(balance.stages)})]
    if indicator.statistic == "cv" and indicator.measure not in balance.measures:
        return [("measures", "catalogue_balance_measure", {"value": indicator.measure, "choices": choices(balance.measures)})]
    return []


def entry_problems(indicator: Indicator, rules: Rules) -> list[Problem]:
    """Every problem of one expanded entry: its kind against the terms it has, each term, a balance entry's statistic."""
    kind = indicator.kind
    problems = shape_problems(kind, indicator.numerator is not None, indicator.denominator is not None)
    if (found := code_problem(indicator.code)) is not None:
        problems.append(("code", "catalogue_limit", {"zh": found[0], "en": found[1]}))
    if kind == "balance":
        problems += balance_problems(indicator, rules)
    if kind not in TERM_KINDS or indicator.numerator is None:
        return problems
    problems += term_problems(indicator.numerator, "numerator", rules)
    if kind == "ratio" and indicator.denominator is not None:
        problems += term_problems(indicator.denominator, "denominator", rules)
    if kind == "count" and not indicator.numerator.is_count:
        problems.append(("numerator.sum", "catalogue_count_with_sum", {}))
    if kind == "sum" and indicator.numerator.is_count:
        problems.append(("numerator", "catalogue_sum_without_sum", {}))
    return problems

