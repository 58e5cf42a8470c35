"""Bounded problem lists on tiny frames: the first problems per file and rule, then one that counts the rest."""

from __future__ import annotations

import polars as pl
import pytest
from pydantic import ValidationError

from config import Limits
from schemas.bound import bound_issues, is_summary, problem_totals
from schemas.issues import issue_frame
from schemas.rules import load_rules


def _cell_issue(file: str, sheet: str, row: int, rule: str = "not_a_number", severity: str = "error") -> dict:
    return {
        "severity": severity, "table_name": "enrollment", "source_file": file, "source_sheet": sheet, "source_row": row,
        "column_header": "在校生数", "cell": f"C{row}", "value": "abc", "rule": rule, "message_zh": "坏", "message_en": "bad",
    }


def _frame() -> pl.DataFrame:
    rows = [_cell_issue("a.xlsx", "在校生", row) for row in range(4, 11)]  # 7 of one rule in one file: rows 4–10
    rows += [_cell_issue("a.xlsx", "在校生", row, rule="negative_value") for row in (4, 5)]  # 2 of another rule
    rows += [_cell_issue("b.xlsx", "在校生", row) for row in (4, 5, 6)]  # 3 of the first rule, another file
    return issue_frame(rows)


def test_beyond_the_limit_one_summary_counts_the_rest_with_rule_and_severity():
    bounded = bound_issues(_frame(), 3)
    listed_a = bounded.filter((pl.col("source_file") == "a.xlsx") & (pl.col("rule") == "not_a_number"))
    # Rows 4, 5, 6 listed; rows 7, 8, 9, 10 (four of them) counted by one summary issue.
    assert listed_a.filter(~is_summary())["source_row"].to_list() == [4, 5, 6]
    summary = listed_a.filter(is_summary()).to_dicts()
    assert len(summary) == 1
    summary = summary[0]
    assert (summary["severity"], summary["rule"], summary["value"], summary["cell"]) == ("error", "not_a_number", "+4", None)
    assert (summary["source_sheet"], summary["source_row"], summary["column_header"]) == ("在校生", 7, "在校生数")
    assert "and 4 more problems like these" in summary["message_en"] and "rows 7–10" in summary["message_en"]
    assert "另有 4 个同类问题" in summary["message_zh"] and "第 7–10 行" in summary["message_zh"]
    # Groups within the limit are left alone: the other rule, the other file.
    assert bounded.filter(pl.col("rule") == "negative_value").height == 2
    assert bounded.filter(pl.col("source_file") == "b.xlsx").height == 3
    assert bounded.height == 3 + 1 + 2 + 3


def test_totals_count_what_a_summary_stands_for():
    issues = _frame()
    assert problem_totals(issues) == (12, 0)
    assert problem_totals(bound_issues(issues, 3)) == (12, 0)
    assert problem_totals(bound_issues(issues, 1)) == (12, 0)


def test_a_frame_within_the_limit_comes_back_as_it_was():
    issues = _frame()
    assert bound_issues(issues, 7).equals(issues)
    assert bound_issues(issues, 100).equals(issues)


def test_the_summary_keeps_the_worst_severity_so_an_error_still_blocks():
    rows = [_cell_issue("a.xlsx", "在校生", row, rule="students_change", severity="warning") for row in range(4, 8)]
    rows.append(_cell_issue("a.xlsx", "在校生", 9, rule="students_change", severity="error"))
    summary = bound_issues(issue_frame(rows), 2).filter(is_summary()).to_dicts()
    assert [(s["severity"], s["value"]) for s in summary] == [("error", "+3")]
    only_warnings = bound_issues(issue_frame(rows[:4]), 2).filter(is_summary())
    assert only_warnings["severity"].to_list() == ["warning"]


def test_problems_cut_from_several_sheets_are_named_by_their_number():
    rows = [_cell_issue("a.xlsx", sheet, row) for sheet in ("在校生", "经费") for row in (4, 5)]
    summary = bound_issues(issue_frame(rows), 1).filter(is_summary()).to_dicts()[0]
    assert summary["value"] == "+3" and summary["source_sheet"] is None and summary["source_row"] is None
    assert "in 2 sheets" in summary["message_en"] and "2 个工作表" in summary["message_zh"]


def test_the_limit_is_configured_and_checked():
    limits = load_rules().limits
    assert limits.max_issues_per_file_rule > 0 and limits.max_copied_cells > 0
    with pytest.raises(ValidationError):
        Limits(**(limits.model_dump() | {"max_issues_per_file_rule": 0}))
