"""A check's condition and filters in words (Chinese or English), written from the parsed entry so that they can never drift from what runs."""

from __future__ import annotations

from config import Check, Rules
from config.check_conditions import Arithmetic, Column, Comparison, Logical, Number, columns_of, parse_condition
from schemas.catalogue.definitions import AREA_ZH, OWNERSHIP_ZH
from schemas.tables import TABLES

SYMBOLS = {"<=": "≤", ">=": "≥", "!=": "≠", "==": "=", "<": "<", ">": ">", "*": "×", "/": "÷", "+": "+", "-": "−"}
"""How an operator is printed."""

LOGIC_ZH = {"and": "且", "or": "或"}


def _column_zh(column: Column, table: str) -> str:
    other = column.table if column.table not in (None, table) else None
    header = TABLES[other or table].column(column.name).header_zh
    return f"{TABLES[other].sheet_zh}表{header}" if other else header


def _words(node: object, table: str, lang: str) -> str:
    if isinstance(node, Number):
        return f"{node.value:g}"
    if isinstance(node, Column):
        return _column_zh(node, table) if lang == "zh" else node.text()
    if isinstance(node, Logical):
        joiner = f" {LOGIC_ZH[node.op]} " if lang == "zh" else f" {node.op} "
        return joiner.join(f"({_words(p, table, lang)})" if isinstance(p, Logical) else _words(p, table, lang) for p in node.parts)
    assert isinstance(node, Arithmetic | Comparison)
    left, right = _words(node.left, table, lang), _words(node.right, table, lang)
    if isinstance(node, Arithmetic):
        if isinstance(node.left, Arithmetic) and node.op in "*/" and node.left.op in "+-":
            left = f"({left})"
        if isinstance(node.right, Arithmetic) and (node.op in "*/" or node.op == "-" and node.right.op in "+-"):
            right = f"({right})"
    return f"{left} {SYMBOLS[node.op]} {right}"


def condition_words(check: Check, lang: str = "en") -> str:
    """The check's condition with columns named (Chinese headers for ``lang`` zh) and operators as symbols."""
    return _words(parse_condition(check.condition), check.table, lang)


def filter_words(check: Check, rules: Rules, lang: str = "en") -> str:
    """The rows the check judges, in words: its table and filters."""
    parts: list[str] = []
    if check.stages:
        parts.append("、".join(rules.stages[s].name_zh for s in check.stages) if lang == "zh" else ", ".join(check.stages))
    if check.school_types:
        codes = rules.school_groups.codes_of(check.school_types)
        parts.append(("办学类型 " if lang == "zh" else "types ") + " ".join(codes))
    if check.areas:
        parts.append("、".join(AREA_ZH.get(a, a) for a in check.areas) if lang == "zh" else ", ".join(check.areas))
    if check.ownership:
        parts.append("或".join(OWNERSHIP_ZH.get(o, o) for o in check.ownership) if lang == "zh" else " or ".join(check.ownership))
    if check.is_inclusive is not None:
        parts.append(("普惠性" if check.is_inclusive else "非普惠性") if lang == "zh" else ("inclusive" if check.is_inclusive else "not inclusive"))
    table = TABLES[check.table].sheet_zh if lang == "zh" else check.table
    return table + (f"（{'；'.join(parts)}）" if lang == "zh" and parts else f" ({'; '.join(parts)})" if parts else "")


def reads_other_tables(check: Check) -> tuple[str, ...]:
    """The other tables the check compares its rows with."""
    return tuple(dict.fromkeys(c.table for c in columns_of(parse_condition(check.condition)) if c.table not in (None, check.table)))
