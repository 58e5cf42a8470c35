"""Bounded problem lists: per file and rule, the first problems one by one, then one problem that counts the rest.

A sheet of garbage holds a million problems. Listed one by one they would swamp the warehouse, the
terminal and the error workbook (Excel stops at 1,048,576 rows) and tell the clerk nothing more than
the first thousand do. Grain of ``bound_issues``: one row per listed problem, plus one summary row per
file and rule whose problems went beyond the limit; the summary keeps the rule and the worst severity,
so an error still blocks, and its value ``+N`` says how many problems it stands for.
"""

from __future__ import annotations

import polars as pl

from schemas.issues import concat_issues, issue, issue_frame

SUMMARY_RULE_MESSAGE = "more_like_these"
"""The message (schemas.messages) of a summary problem; its rule stays the rule of the problems it counts."""

_GROUP = ["source_file", "rule"]
_SUMMARY_VALUE = r"^\+[0-9]+$"


def is_summary() -> pl.Expr:
    """True on a row that stands for further problems: no cell, and the value ``+N``."""
    return (pl.col("cell").is_null() & pl.col("value").str.contains(_SUMMARY_VALUE)).fill_null(False)


def problem_weight() -> pl.Expr:
    """How many problems each issue row stands for: N for a summary row, else 1."""
    return pl.when(is_summary()).then(pl.col("value").str.slice(1).cast(pl.Int64, strict=False)).otherwise(1).fill_null(1)


def severity_counts() -> tuple[pl.Expr, pl.Expr]:
    """Aggregations ``errors`` and ``warnings``: the problems of each severity, a summary row counting every one it stands for."""
    return tuple(
        (problem_weight() * (pl.col("severity") == severity)).sum().alias(f"{severity}s") for severity in ("error", "warning")
    )


def problem_totals(issues: pl.DataFrame) -> tuple[int, int]:
    """(errors, warnings) found in ``issues`` (one frame of a run's problems)."""
    if issues.is_empty():
        return 0, 0
    errors, warnings = issues.select(*severity_counts()).row(0)
    return int(errors or 0), int(warnings or 0)


def _thousands(number: int) -> str:
    return f"{number:,}"


def _where(sheets: list[str], first_row: int | None, last_row: int | None) -> tuple[str, str]:
    """(zh, en) of where the uncounted problems lie: the sheet and its rows, or how many sheets."""
    if len(sheets) > 1:
        return f"，{len(sheets)} 个工作表", f", in {len(sheets)} sheets"
    zh = f"，工作表 {sheets[0]}" if sheets else ""
    en = f", sheet {sheets[0]}" if sheets else ""
    if first_row is None:
        return zh, en
    if first_row == last_row:
        return f"{zh} 第 {_thousands(first_row)} 行", f"{en}, row {_thousands(first_row)}"
    rows = f"{_thousands(first_row)}–{_thousands(last_row or first_row)}"
    return f"{zh} 第 {rows} 行", f"{en}, rows {rows}"


def _only(values: list[object]) -> object:
    """The single non-null value of ``values``, else None."""
    present = [v for v in values if v is not None]
    return present[0] if len(present) == 1 else None


def summary_issue(source_file: str | None, rule: str, cut: dict) -> dict:
    """The one problem standing for ``cut`` (the aggregated rows beyond the limit of one file and rule)."""
    sheets = [s for s in cut["sheets"] if s is not None]
    single_sheet = len(sheets) == 1
    first_row = cut["first_row"] if single_sheet else None
    where_zh, where_en = _where(sheets, first_row, cut["last_row"] if single_sheet else None)
    severity = "error" if cut["is_error"] else cut["severity"]
    row = issue(
        SUMMARY_RULE_MESSAGE, severity,
        source_file=source_file, source_sheet=sheets[0] if single_sheet else None, source_row=first_row,
        table_name=_only(cut["tables"]), column_header=_only(cut["headers"]) if single_sheet else None,
        value=f"+{cut['count']}", count=_thousands(cut["count"]), counted_rule=rule, where_zh=where_zh, where_en=where_en,
    )
    return row | {"rule": rule}


def bound_issues(issues: pl.DataFrame, limit: int) -> pl.DataFrame:
    """Per file and rule, the first ``limit`` issues in the frame's order and one summary issue for the rest.

    The frame's order is the listing order (``concat_issues`` sorts by file, sheet, row and cell); the
    result is sorted the same way. A frame within the limit everywhere comes back as it is.
    """
    if issues.height <= limit:
        return issues
    ranked = issues.with_columns(pl.int_range(pl.len()).over(_GROUP).alias("__position"))
    beyond = pl.col("__position") >= limit
    if not ranked.select(beyond.any()).item():
        return issues
    cut = (
        ranked.filter(beyond)
        .group_by(_GROUP, maintain_order=True)
        .agg(
            pl.len().alias("count"),
            (pl.col("severity") == "error").any().alias("is_error"),
            pl.col("severity").first(),
            pl.col("source_sheet").unique(maintain_order=True).alias("sheets"),
            pl.col("table_name").unique(maintain_order=True).alias("tables"),
            pl.col("column_header").unique(maintain_order=True).alias("headers"),
            pl.col("source_row").min().alias("first_row"),
            pl.col("source_row").max().alias("last_row"),
        )
    )
    summaries = [summary_issue(group.pop("source_file"), group.pop("rule"), group) for group in cut.iter_rows(named=True)]
    return concat_issues([ranked.filter(~beyond).drop("__position"), issue_frame(summaries)])
