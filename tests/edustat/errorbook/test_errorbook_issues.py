"""Issue frame tidying: columns filled in, A1 references located, errors first."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from edustat.errorbook.issues import ISSUE_COLUMNS, normalise_issues


def test_cell_references_become_row_and_column_numbers():
    issues = pl.DataFrame(
        {
            "severity": ["error"] * 5,
            "source_row": [7, 9, 4, None, 12],
            "cell": ["D7", "$AB$9", None, "XFD1048576", "not a cell"],
        }
    )
    out = normalise_issues(issues).sort("issue_index").select("target_row", "target_col")
    # AB = 1·26 + 2 = 28; XFD = 24·676 + 6·26 + 4 = 16384, Excel's last column.
    expected = pl.DataFrame(
        {"target_row": [7, 9, 4, 1048576, 12], "target_col": [4, 28, None, 16384, None]},
        schema={"target_row": pl.Int64, "target_col": pl.Int64},
    )
    assert_frame_equal(out, expected)


def test_errors_come_first_then_warnings_then_the_rest_by_file_and_row():
    issues = pl.DataFrame(
        {
            "severity": ["warning", "Error ", "notice", "error", "error"],
            "source_file": ["a.xlsx", "b.xlsx", "a.xlsx", "a.xlsx", "a.xlsx"],
            "source_row": [1, 1, 1, 9, 3],
        }
    )
    out = normalise_issues(issues)
    assert out["issue_index"].to_list() == [4, 3, 1, 0, 2]
    assert out["severity"].to_list() == ["error", "error", "error", "warning", "notice"]
    assert out["severity_rank"].to_list() == [0, 0, 0, 1, 2]


def test_missing_columns_are_added_as_nulls():
    out = normalise_issues(pl.DataFrame({"rule": ["x"]}))
    assert set(ISSUE_COLUMNS) <= set(out.columns)
    assert out["source_row"].dtype == pl.Int64
    assert out["message_en"].to_list() == [None]
