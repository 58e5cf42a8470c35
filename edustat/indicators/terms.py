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

from config import TERM_KINDS, Catalogue, IndicatorKind, Term
from schemas.row_filter import term_filter

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
