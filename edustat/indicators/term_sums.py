"""The compiled terms run over a year's staged tables: per county for the values, per school for a trace (pure).

One pass per table and grain: the table's rows (with their school's attributes) are filtered to
those some term takes, and one group-by yields all its terms at once — per county straight from the
rows where that is exact (``adds_per_row``), per school first otherwise. County sums are exact fixed
point of the per-school amounts rounded to DECIMALS, the Σ/Σ arithmetic of ``aggregate``; the frames
stay lazy until the caller collects the county sums.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from config import Catalogue, Rules, Term
from edustat.indicators.derived import with_derived
from edustat.indicators.exact_sums import fixed_point, stable_round
from edustat.indicators.school_attributes import counted_schools, with_school
from edustat.indicators.terms import COUNTY_GRAIN_TABLES, compile_terms, derived_columns, term_filter, term_per_row, term_per_school
from schemas.catalogue.terms import column_kinds
from schemas.staged import StagedTables
from schemas.tables import TABLES

GRAIN = ("county_code", "school_code")
"""A per-school frame's key; school_code is NULL for a county's own row (population)."""

ROW_SCHEMA = {"county_code": pl.String, "school_code": pl.String, "numerator": pl.Float64, "denominator": pl.Float64}
"""Columns of an indicator's rows (``indicator_rows``): one row per school, or per county for a county-wide term."""


def _present(term_id: str) -> str:
    return f"{term_id}_present"


def table_rows(staged: StagedTables, table: str, terms: dict[str, Term], rules: Rules, counties: list[str] | None) -> pl.LazyFrame:
    """The rows ``terms`` read from ``table``: one per row of it (per counted school for schools, per county for
    population), with county_code, school_code, the school's attributes and the derived columns they read."""
    if table in COUNTY_GRAIN_TABLES:
        frame = getattr(staged, table).lazy().with_columns(pl.lit(None, dtype=pl.String).alias("school_code"))
    elif table == "schools":
        frame = counted_schools(staged)
    else:
        frame = with_school(getattr(staged, table).lazy(), staged)
    if counties is not None:
        frame = frame.filter(pl.col("county_code").is_in(counties))
    return with_derived(frame, derived_columns(terms, set(frame.collect_schema().names())), staged, rules)


def _per_school(rows: pl.LazyFrame, terms: dict[str, Term], rules: Rules, presence: bool = False) -> pl.LazyFrame:
    """One row per school (per county for population) with a row that some term of ``terms`` takes: GRAIN and one
    column per term id, what the school adds to it; with ``presence`` also ``<id>_present``, whether it has such a row."""
    filters = {term_id: term_filter(term, rules) for term_id, term in terms.items()}
    aggregations = [term_per_school(term, filters[term_id]).alias(term_id) for term_id, term in terms.items()]
    if presence:
        aggregations += [filters[term_id].any().alias(_present(term_id)) for term_id in terms]
    return rows.filter(pl.any_horizontal(list(filters.values()))).group_by(*GRAIN).agg(aggregations)


def _rounded(amount: pl.Expr) -> pl.Expr:
    """A school's amount as a contribution is stored: Float64 rounded to DECIMALS."""
    return stable_round(amount.cast(pl.Float64))


def adds_per_row(term: Term) -> bool:
    """True when summing the term's rows one by one gives its per-school amounts' sum exactly: each school has at most one
    row the term takes (a table of one row per school or county, or one stage of a school × stage table), or every row
    adds a whole number (rounding a school's sum or each of its rows then changes nothing). A count of schools or a
    sum of decimals over several stages is added per school first, as stored contributions are."""
    if set(TABLES[term.table].key) <= {"school_code", "county_code"}:
        return True
    if term.is_count:
        return False
    kinds = column_kinds(term.table)
    return len(term.stages) == 1 or all(kinds[column] == "integer" for column in term.sum)


def _county_sums_by_row(rows: pl.LazyFrame, terms: dict[str, Term], rules: Rules) -> pl.LazyFrame:
    """One row per county with a row that some term takes: county_code and one exact sum per term id, row by row."""
    filters = {term_id: term_filter(term, rules) for term_id, term in terms.items()}
    amounts = {term_id: pl.lit(1, dtype=pl.Int64) if term.is_count else term_per_row(term) for term_id, term in terms.items()}
    return (
        rows.filter(pl.any_horizontal(list(filters.values())))
        .group_by("county_code")
        .agg(fixed_point(_rounded(pl.when(filters[term_id]).then(amounts[term_id]))).sum().alias(term_id) for term_id in terms)
    )


def _county_sums_by_school(rows: pl.LazyFrame, terms: dict[str, Term], rules: Rules) -> pl.LazyFrame:
    """The same as ``_county_sums_by_row``, with each school's rows added first and its amount rounded as stored."""
    return (
        _per_school(rows, terms, rules)
        .group_by("county_code")
        .agg(fixed_point(_rounded(pl.col(term_id))).sum().alias(term_id) for term_id in terms)
    )


def term_county_sums(staged: StagedTables, rules: Rules, catalogue: Catalogue, counties: Iterable[str] | None = None) -> pl.LazyFrame:
    """Exact Σ numerator and Σ denominator per county per ratio, sum and count code (fixed-point Int128), of ``counties`` when given.

    One row per county with rows per code; a side without rows is NULL or 0 (both add nothing).
    One pass over each table per grain: its terms that add row by row, and those added per school first.
    """
    plan = compile_terms(catalogue)
    chosen = None if counties is None else sorted(set(counties))
    frames = []
    for table, terms in plan.by_table().items():
        rows = table_rows(staged, table, terms, rules, chosen)
        by_row = {term_id: term for term_id, term in terms.items() if adds_per_row(term)}
        by_school = {term_id: term for term_id, term in terms.items() if term_id not in by_row}
        for sums, grain_terms in ((_county_sums_by_row, by_row), (_county_sums_by_school, by_school)):
            if grain_terms:
                per_county = sums(rows, grain_terms, rules)
                frames.append(per_county.unpivot(index="county_code", variable_name="term_id", value_name="sum"))
    side = pl.col("side")
    return (
        pl.concat(frames)
        .join(plan.sides(), on="term_id")
        .group_by("county_code", "indicator_code")
        .agg(
            pl.col("sum").filter(side == "numerator").sum().alias("numerator"),
            pl.col("sum").filter(side == "denominator").sum().alias("denominator"),
        )
    )


def _side_rows(staged: StagedTables, rules: Rules, term_id: str, term: Term, side: str) -> pl.LazyFrame:
    terms = {term_id: term}
    return (
        _per_school(table_rows(staged, term.table, terms, rules, None), terms, rules, presence=True)
        .filter(pl.col(_present(term_id)))
        .select(*GRAIN, _rounded(pl.col(term_id)).alias(side))
    )


def indicator_rows(staged: StagedTables, rules: Rules, catalogue: Catalogue, code: str) -> pl.DataFrame | None:
    """The rows behind one ratio, sum or count code (ROW_SCHEMA): one per school with a row either term takes (per county
    for a population term), each side as stored contributions are; None when ``code`` is not defined by terms.

    A school that only one side takes adds 0 to the other; a county's population row and a school's row leave the side
    of the other grain NULL. Their sums over a region's counties are its stored numerator and denominator.
    """
    plan = compile_terms(catalogue)
    compiled = plan.indicator(code)
    if compiled is None:
        return None
    numerator = plan.terms[compiled.numerator]
    rows = _side_rows(staged, rules, compiled.numerator, numerator, "numerator")
    if compiled.denominator is None:
        return rows.with_columns(pl.lit(None, dtype=pl.Float64).alias("denominator")).select(list(ROW_SCHEMA)).collect()
    denominator = plan.terms[compiled.denominator]
    rows = rows.join(_side_rows(staged, rules, compiled.denominator, denominator, "denominator"), on=list(GRAIN), how="full", coalesce=True)
    is_school_row = pl.col("school_code").is_not_null()
    return rows.with_columns(
        pl.when(is_school_row == (term.table not in COUNTY_GRAIN_TABLES)).then(pl.col(side).fill_null(0.0)).otherwise(pl.col(side)).alias(side)
        for side, term in (("numerator", numerator), ("denominator", denominator))
    ).select(list(ROW_SCHEMA)).collect()
