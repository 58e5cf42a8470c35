"""Summaries of a run's problems: counts by file and by rule, and the first problems, as text and markdown."""

from __future__ import annotations

import polars as pl

from config.limits import is_control_character
from schemas.bound import is_summary, problem_totals, problem_weight, severity_counts
from schemas.tables import PROVENANCE_COLUMNS
from schemas.words import plural

FIRST_PROBLEMS = 20
"""How many problems a summary spells out before it points to the full list."""


def counts_by(issues: pl.DataFrame, column: str) -> pl.DataFrame:
    """One row per value of ``column`` with its error and warning counts (a bounded list's summary row counting all it stands for), most errors first."""
    return (
        issues.group_by(column)
        .agg(*severity_counts())
        .sort(["errors", "warnings", column], descending=[True, True, False], nulls_last=True)
    )


def first_problems(issues: pl.DataFrame, limit: int = FIRST_PROBLEMS) -> pl.DataFrame:
    """The first problems to show: errors before warnings, then in file, sheet and row order."""
    return issues.sort(
        [pl.col("severity") != "error", *PROVENANCE_COLUMNS], nulls_last=True
    ).head(limit)


def counted_only(issues: pl.DataFrame, limit: int = FIRST_PROBLEMS) -> pl.DataFrame:
    """The summary issues of bounded lists (one per file and rule cut), most problems first: what was counted, not listed."""
    if issues.is_empty():
        return issues
    return issues.filter(is_summary()).sort([problem_weight(), "source_file", "rule"], descending=[True, False, False], nulls_last=True).head(limit)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: object) -> str:
    """``text`` for one terminal line: control characters (newline, escape, NUL, …) shown escaped, so that a file
    name or cell value can neither break a line nor forge one, nor drive the terminal."""
    return "".join(
        _ESCAPES.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        if is_control_character(ch)
        else ch
        for ch in str(text)
    )


def location(row: dict) -> str:
    """Where a problem is, as a clerk reads it: file › sheet › row › column (cell), control characters escaped."""
    parts = [row.get("source_file") or "(all files)"]  # a county's or table's gap lies in no one file
    if row.get("source_sheet"):
        parts.append(f"sheet {row['source_sheet']}")
    if row.get("source_row") is not None:
        parts.append(f"row {row['source_row']}")
    if row.get("column_header"):
        cell = f" ({row['cell']})" if row.get("cell") else ""
        parts.append(f"column {row['column_header']}{cell}")
    return printable(" › ".join(str(part) for part in parts))


def summary_markdown(year: int, issues: pl.DataFrame) -> str:
    """The problem summary of one year's run, as markdown for the Prefect UI."""
    errors, warnings = problem_totals(issues)
    lines = [f"# {year}: {plural(errors, 'error')}, {plural(warnings, 'warning')} / {errors} 个错误, {warnings} 个警告", ""]
    if issues.is_empty():
        return "\n".join(lines + ["No problems found. 未发现问题。"])
    for title, column in (("By file / 按文件", "source_file"), ("By rule / 按规则", "rule")):
        lines += [f"## {title}", "", "| | errors | warnings |", "|---|---:|---:|"]
        lines += [f"| {r[column]} | {r['errors']} | {r['warnings']} |" for r in counts_by(issues, column).iter_rows(named=True)]
        lines.append("")
    for title, shown in ((f"First problems / 前 {FIRST_PROBLEMS} 个问题", first_problems(issues)), ("Counted, not listed / 未逐一列出", counted_only(issues))):
        if shown.height:
            lines += [f"## {title}", ""]
            lines += [f"- **{r['severity']}** {location(r)}: {r['message_zh']} / {r['message_en']}" for r in shown.iter_rows(named=True)]
            lines.append("")
    return "\n".join(lines).rstrip("\n")
