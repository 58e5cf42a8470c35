"""The filters of an indicator term (and of a check) compiled to Polars: which rows of a table it takes.

Rows carry their school's attributes (school_type_code, urban_rural_code, ownership, is_inclusive)
beside their own columns; ``term_filter`` is True on the rows passing every filter.
"""

from __future__ import annotations

import polars as pl

from config import Condition, Rules, Term

EVERY_ROW = pl.col("county_code").is_not_null()
"""True on every row a term reads (each has its county): row by row, where a literal True would be one value per group."""


def _condition(condition: Condition) -> pl.Expr:
    """A row passes when the condition holds; an empty cell passes no condition (missing is not 0, nor "no")."""
    column = pl.col(condition.column)
    if condition.operator is None:
        return column.not_() if condition.is_negated else column
    right = pl.col(condition.other_column) if condition.other_column is not None else pl.lit(condition.number)
    return {
        ">=": column >= right,
        ">": column > right,
        "<=": column <= right,
        "<": column < right,
        "==": column == right,
        "!=": column != right,
    }[condition.operator]


def term_filter(term: Term, rules: Rules) -> pl.Expr:
    """True for the rows of the term's table that pass every filter of ``term`` (rows carry their school's attributes)."""
    conditions: list[pl.Expr] = []
    if term.stages:
        conditions.append(pl.col("stage").is_in(list(term.stages)))
    if term.school_types:
        groups = rules.school_groups.by_name()
        codes = [code for value in term.school_types for code in groups.get(value, (value,))]
        conditions.append(pl.col("school_type_code").is_in(codes))
    if term.areas:
        codes = [code for code, area in rules.urban_rural.items() if area in term.areas]
        conditions.append(pl.col("urban_rural_code").is_in(codes))
    if term.ownership:
        conditions.append(pl.col("ownership").is_in(list(term.ownership)))
    if term.is_inclusive is not None:
        inclusive = (pl.col("ownership") == "public") | pl.col("is_inclusive").fill_null(False)
        conditions.append(inclusive if term.is_inclusive else inclusive.not_())
    conditions += [_condition(condition) for condition in term.where]
    return pl.all_horizontal(conditions) if conditions else EVERY_ROW
