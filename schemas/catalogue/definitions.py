"""An indicator's definition in words, written from its terms, so that the words can never drift from the computation.

One sentence per indicator code, in English (stored in the warehouse's ``indicator.definition``)
and in Chinese (shown by ``edustat indicators --catalogue --lang zh``).
"""

from __future__ import annotations

from config import Condition, Indicator, Rules, Term
from schemas.catalogue.terms import term_columns
from schemas.tables import TABLES

AREA_ZH = {"urban": "城区", "town": "镇区", "rural": "乡村"}
"""The contract's names of the areas of 城乡分类代码 (§2)."""
OWNERSHIP_ZH = {"public": "公办", "private": "民办"}


def _condition_zh(condition: Condition, table: str) -> str:
    columns = term_columns(table)
    name = columns[condition.column].header_zh
    if condition.operator is None:
        return f"{name}为{'否' if condition.is_negated else '是'}"
    right = columns[condition.other_column].header_zh if condition.other_column else f"{condition.number:g}"
    return f"{name} {condition.operator} {right}"


def term_en(term: Term, rules: Rules) -> str:
    """One term in English words: what is summed or counted, over which rows."""
    if term.is_count:
        head = "schools" if term.table == "schools" else f"schools with a {term.table} row"
        filters = []
    else:
        head = "Σ " + (term.sum[0] if len(term.sum) == 1 else f"({' + '.join(term.sum)})")
        filters = [f"of {term.table}"]
    if term.stages:
        filters.append(("stage " if len(term.stages) == 1 else "stages ") + ", ".join(term.stages))
    if term.school_types:
        filters.append("types " + " ".join(rules.school_groups.codes_of(term.school_types)))
    filters += [", ".join(term.areas)] if term.areas else []
    filters += [" or ".join(term.ownership)] if term.ownership else []
    if term.is_inclusive is not None:
        filters.append("inclusive (public counts)" if term.is_inclusive else "not inclusive")
    if term.where:
        filters.append("where " + " and ".join(c.text() for c in term.where))
    return ", ".join([head, *filters]) if term.is_count else f"{head} {', '.join(filters)}"


def term_zh(term: Term, rules: Rules) -> str:
    """One term in Chinese words: 求和的列（或学校数）及其筛选条件。"""
    sheet = TABLES[term.table].sheet_zh
    columns = term_columns(term.table)
    if term.is_count:
        head = "学校数" if term.table == "schools" else f"有{sheet}记录的学校数"
        filters = []
    else:
        names = [columns[c].header_zh for c in term.sum]
        head = "Σ" + (names[0] if len(names) == 1 else f"({'+'.join(names)})")
        filters = [sheet]
    if term.stages:
        filters.append("、".join(rules.stages[s].name_zh for s in term.stages))
    if term.school_types:
        filters.append("办学类型 " + "、".join(rules.school_groups.codes_of(term.school_types)))
    filters += ["、".join(AREA_ZH.get(a, a) for a in term.areas)] if term.areas else []
    filters += ["或".join(OWNERSHIP_ZH.get(o, o) for o in term.ownership)] if term.ownership else []
    if term.is_inclusive is not None:
        filters.append("普惠性（公办计入）" if term.is_inclusive else "非普惠性")
    filters += [_condition_zh(c, term.table) for c in term.where]
    return f"{head}（{'；'.join(filters)}）" if filters else head


def _scaled(scale: float, text: str) -> str:
    return text if scale == 1 else f"{scale:g} × {text}"


GENERATED_KINDS = ("ratio", "sum", "count", "growth")
"""Kinds whose definition is written from the entry (its terms, or the base of a growth); balance keeps its prose."""


def definition(indicator: Indicator, rules: Rules, lang: str = "en") -> str:
    """The definition of a ratio, sum, count or growth indicator in words (``lang`` en or zh); its stored prose for balance."""
    if indicator.kind == "growth" and indicator.base is not None:
        if lang == "zh":
            return _scaled(indicator.scale, f"(本年 {indicator.base} / 上年 {indicator.base} − 1)")
        return _scaled(indicator.scale, f"(this year's {indicator.base} / the previous year's − 1)")
    if indicator.numerator is None:
        return indicator.definition
    words = term_zh if lang == "zh" else term_en
    numerator = words(indicator.numerator, rules)
    if indicator.denominator is None:
        return numerator
    denominator = words(indicator.denominator, rules)
    return _scaled(indicator.scale, f"({numerator}) / ({denominator})")
