"""Counts of a run's problems when a list is bounded: a summary issue counts every problem it stands for."""

from __future__ import annotations

from edustat.outcome import RunOutcome
from edustat.summary import counted_only, counts_by, summary_markdown
from schemas.issues import issue_frame


def _issues():
    listed = [
        {"severity": "error", "source_file": "a.xlsx", "source_sheet": "在校生", "source_row": row, "cell": f"C{row}", "value": "x", "rule": "not_a_number"}
        for row in (4, 5)
    ]
    # What schemas.bound leaves for 5 further problems of the rule: no cell, the value +5.
    summary = {"severity": "error", "source_file": "a.xlsx", "source_sheet": "在校生", "source_row": 6, "value": "+5", "rule": "not_a_number"}
    warning = {"severity": "warning", "source_file": "b.xlsx", "source_sheet": "经费", "source_row": 1, "cell": "E1", "value": "+5", "rule": "unknown_column"}
    return issue_frame([*listed, summary, warning])


def test_counts_by_file_and_rule_include_what_a_summary_stands_for():
    by_rule = {row["rule"]: (row["errors"], row["warnings"]) for row in counts_by(_issues(), "rule").iter_rows(named=True)}
    # 2 listed + 5 counted; a clerk's "+5" in a cell is a value, not a count.
    assert by_rule == {"not_a_number": (7, 0), "unknown_column": (0, 1)}


def test_the_run_summary_and_outcome_count_the_same():
    assert summary_markdown(2020, _issues()).startswith("# 2020: 7 errors, 1 warning")
    outcome = RunOutcome(run_id=1, year=2020, status="rejected", issues=_issues())
    assert (outcome.error_count, outcome.warning_count) == (7, 1)


def test_what_was_counted_and_not_listed_is_shown_after_the_first_problems():
    counted = counted_only(_issues())
    assert counted.select("rule", "value").rows() == [("not_a_number", "+5")]
    markdown = summary_markdown(2020, _issues())
    assert markdown.index("## First problems") < markdown.index("## Counted, not listed")
