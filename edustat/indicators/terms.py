"""The catalogue's terms compiled to Polars: which rows each term takes, and what it adds per school.

``compile_terms`` gathers the distinct terms of every ratio, sum and count indicator (a term two
indicators share is computed once) and groups them by table; ``term_filter`` and ``term_per_school``
are the expressions a term stands for. ``edustat.indicators.term_sums`` runs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import add

import polars as pl

from config.models import TERM_KINDS, Catalogue, Condition, IndicatorKind, Rules, Term

EVERY_ROW = pl.col("county_code").is_not_null()
"""True on every row a term reads (each has its county): row by row, where a literal True would be one value per group."""

COUNTY_GRAIN_TABLES = ("population",)
"""Tables of one row per county: their terms add up per county, not per school."""


@dataclass(frozen=True)
class CompiledIndicator:
    """One ratio, sum or count code and the ids of its terms (denominator None for sums and counts)."""

    code: str
    kind: IndicatorKind
    numerator: str
    denominator: str | None


@dataclass(frozen=True)
class TermPlan:
    """Every distinct term of a catalogue by id, and every term-defined indicator, in catalogue order."""

    terms: dict[str, Term]
    indicators: tuple[CompiledIndicator, ...]

    def by_table(self) -> dict[str, dict[str, Term]]:
        """Terms grouped by their table, one pass each: table → term id → term."""
        grouped: dict[str, dict[str, Term]] = {}
        for term_id, term in self.terms.items():
            grouped.setdefault(term.table, {})[term_id] = term
        return grouped

    def indicator(self, code: str) -> CompiledIndicator | None:
        """The compiled indicator of ``code``, or None when it is not defined by terms."""
        return next((i for i in self.indicators if i.code == code), None)

    def sides(self) -> pl.LazyFrame:
        """One row per indicator per side: indicator_code, side (numerator / denominator) and the term_id it reads."""
        rows = [
            (i.code, side, term_id)
            for i in self.indicators
            for side, term_id in (("numerator", i.numerator), ("denominator", i.denominator))
            if term_id is not None
        ]
        return pl.LazyFrame(rows, schema={"indicator_code": pl.String, "side": pl.String, "term_id": pl.String}, orient="row")


def compile_terms(catalogue: Catalogue) -> TermPlan:
    """The TermPlan of ``catalogue``: its ratio, sum and count indicators that have their terms, the others left out."""
    ids: dict[Term, str] = {}

    def term_id(term: Term) -> str:
        return ids.setdefault(term, f"t{len(ids)}")

    compiled = []
    for indicator in catalogue.indicators:
        if indicator.kind not in TERM_KINDS or indicator.numerator is None:
            continue
        if indicator.kind == "ratio" and indicator.denominator is None:
            continue
        denominator = term_id(indicator.denominator) if indicator.denominator is not None else None
        compiled.append(CompiledIndicator(indicator.code, indicator.kind, term_id(indicator.numerator), denominator))
    return TermPlan(terms={term_id: term for term, term_id in ids.items()}, indicators=tuple(compiled))


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


def term_per_row(term: Term) -> pl.Expr:
    """What one row adds to a summing term: its column, or its columns added (an empty cell of a list adds 0)."""
    if len(term.sum) == 1:
        return pl.col(term.sum[0])
    return reduce(add, (pl.col(column).fill_null(0) for column in term.sum))


def term_per_school(term: Term, rows: pl.Expr) -> pl.Expr:
    """What a school adds to ``term`` from its rows passing ``rows`` (an aggregation): Σ of ``term_per_row``, or 1 when
    the term counts schools and the school has such a row."""
    if term.is_count:
        return rows.any().cast(pl.Int64)
    return term_per_row(term).filter(rows).sum()


def derived_columns(terms: dict[str, Term], available: set[str]) -> list[str]:
    """The columns the terms read that the table's rows lack (to be derived), in first-read order."""
    read = dict.fromkeys(column for term in terms.values() for column in term.columns())
    return [column for column in read if column not in available]
