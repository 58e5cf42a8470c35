"""Run each table's Pandera schema over its staged frame and turn every failure into an issue.

Grain of the result: one issue per offending cell (column checks, cross-field checks on their main
column) or per schema-level failure.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from config import Rules
from schemas.issues import concat_issues, empty_issues, issues_from
from schemas.locate import locate
from schemas.magnitudes import magnitude_issues
from schemas.messages import MESSAGES, stage_choices
from schemas.pandera_schema import pandera_schema
from schemas.tables import TABLES

BUILTIN_CHECK_RULES = {
    "greater_than_or_equal_to": "negative_value",
    "str_matches": "bad_code",
}
"""Pandera built-in check name → rule code; custom checks are named by their rule code."""

SKIPPED_CHECKS = ("not_nullable",)
"""Failures already reported during ingest, where the clerk's text is still known: an empty required
cell (missing_value), an unconvertible one (its own rule) or a missing column (missing_column)."""


def table_schema(table: str, rules: Rules) -> pa.DataFrameSchema:
    """The Pandera schema that enforces the contract rules of ``table`` (built from its spec)."""
    return pandera_schema(TABLES[table], rules)


def _rule(check: pl.Expr) -> pl.Expr:
    builtin = check.str.extract(r"^([A-Za-z_]+)").replace_strict(BUILTIN_CHECK_RULES, default="schema_error")
    return pl.when(check.is_in(list(MESSAGES))).then(check).otherwise(builtin)


def failure_issues(
    failure_cases: pl.DataFrame, table: str, frame: pl.DataFrame, headers: pl.DataFrame, rules: Rules
) -> pl.DataFrame:
    """One issue per row of Pandera's ``failure_cases`` for ``frame`` (one per offending cell or schema failure)."""
    spec = TABLES[table]
    failures = failure_cases.filter(~pl.col("check").is_in(list(SKIPPED_CHECKS))).with_columns(
        _rule(pl.col("check")).alias("__rule"),
        pl.col("failure_case").alias("value"),
    )
    is_cell = (pl.col("index").is_not_null() & (pl.col("schema_context") == "Column")).fill_null(False)
    located_rows = failures.filter(is_cell)
    schema_level = failures.filter(~is_cell)
    frames: list[pl.DataFrame] = []
    frames.append(issues_from(schema_level, "schema_error", "error", table_name=table))
    if located_rows.height:
        rows = frame.with_row_index("__index").with_columns(pl.col("__index").cast(pl.Int64))
        joined = located_rows.with_columns(pl.col("index").cast(pl.Int64).alias("__index")).join(
            rows, on="__index", how="left", suffix="__table"
        )
        names = {c.name: c.header_zh for c in spec.columns}
        code_digits = {c.name: str(c.digits or "") for c in spec.columns}
        for (column, rule), group in joined.group_by(["column", "__rule"], maintain_order=True):
            located = locate(group, table, column, headers)
            frames.append(
                issues_from(
                    located, rule, "error", table_name=table, column=column,
                    column_zh=names.get(column, column), digits=code_digits.get(column, ""),
                    **stage_choices(rules.stages),
                )
            )
    return concat_issues(frames)


def validate_table(table: str, frame: pl.DataFrame, headers: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """Every failure of ``table``'s schema on its staged ``frame``, and every value above its ceiling, as issues (empty when the frame is valid)."""
    try:
        table_schema(table, rules).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        schema_issues = failure_issues(errors.failure_cases, table, frame, headers, rules)
    else:
        schema_issues = empty_issues()
    return concat_issues([schema_issues, magnitude_issues(table, frame, headers, rules)])
