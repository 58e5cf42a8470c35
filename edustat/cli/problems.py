"""Printing a run's problems for the terminal: counts by file and rule, the first problems, the workbook."""

from __future__ import annotations

import polars as pl

from edustat.cli.options import console
from edustat.summary import counted_only, counts_by, first_problems, location, printable
from schemas.bound import problem_totals
from schemas.words import plural


def print_problems(issues: pl.DataFrame, error_workbook: str | None, *, by_file: bool) -> None:
    """What a clerk or statistician reads about the problems of a year's files."""
    if issues.is_empty():
        return
    if by_file:
        for title, column in (("Problems by file / 按文件:", "source_file"), ("Problems by rule / 按规则:", "rule")):
            console.print(f"\n{title}")
            for row in counts_by(issues, column).iter_rows(named=True):
                console.print(f"  {printable(row[column] or '(all files)')}: {plural(row['errors'], 'error')}, {plural(row['warnings'], 'warning')}", markup=False)
    shown = first_problems(issues)
    console.print(f"\nFirst problems / 前几个问题 ({shown.height} of {sum(problem_totals(issues)):,}):")
    _print_rows(shown)
    counted = counted_only(issues)
    if counted.height:
        console.print("\nCounted, not listed one by one / 未逐一列出:")
        _print_rows(counted)
    if error_workbook:
        console.print(f"\nError workbook / 错误标注工作簿: {printable(error_workbook)}", markup=False)


def _print_rows(problems: pl.DataFrame) -> None:
    """One problem per entry: where it is, then its message in Chinese and English."""
    for row in problems.iter_rows(named=True):
        console.print(f"  [{row['severity']}] {location(row)}\n      {printable(row['message_zh'])}\n      {printable(row['message_en'])}", markup=False)
