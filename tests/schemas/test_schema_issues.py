import polars as pl

from schemas.issues import ISSUE_COLUMNS, concat_issues, empty_issues, has_errors, issue, issue_frame, issues_from
from schemas.messages import MESSAGES, render


def test_issue_columns_are_the_briefs_in_order():
    assert list(ISSUE_COLUMNS) == [
        "severity", "table_name", "source_file", "source_sheet", "source_row", "column_header", "cell", "value",
        "rule", "message_zh", "message_en",
    ]
    assert ISSUE_COLUMNS["source_row"] == pl.Int64


def test_empty_issue_frame_has_every_column():
    frame = issue_frame([])
    assert frame.height == 0 and frame.schema == pl.Schema(ISSUE_COLUMNS)
    assert empty_issues().schema == frame.schema


def test_issue_frame_fills_missing_keys_with_null():
    frame = issue_frame([{"severity": "warning", "rule": "x", "source_row": 3}])
    assert frame.row(0, named=True)["source_row"] == 3
    assert frame.row(0, named=True)["cell"] is None


def test_has_errors():
    assert not has_errors(empty_issues())
    assert not has_errors(issue_frame([{"severity": "warning", "rule": "x"}]))
    assert has_errors(issue_frame([{"severity": "warning"}, {"severity": "error"}]))


def test_issue_renders_both_languages():
    row = issue("missing_value", "error", column="students", column_zh="在校生数", cell="C2")
    assert (row["message_zh"], row["message_en"], row["cell"]) == ("在校生数为空（必填）", "students is empty (required)", "C2")


def test_issues_from_renders_one_message_per_row_from_columns_and_constants():
    frame = pl.DataFrame({"source_row": [2, 3], "value": [-12, -7]})
    out = issues_from(frame, "negative_value", "error", table_name="enrollment", column="entrants", column_zh="招生数", cell=pl.concat_str(pl.lit("D"), pl.col("source_row").cast(pl.String)))
    assert out.columns == list(ISSUE_COLUMNS)
    assert out.select("cell", "message_en").rows() == [
        ("D2", "entrants (-12) must not be negative"),
        ("D3", "entrants (-7) must not be negative"),
    ]
    assert out["table_name"].to_list() == ["enrollment", "enrollment"]


def test_concat_issues_sorts_file_wide_issues_first():
    late = issue_frame([{"severity": "error", "rule": "b", "source_file": "b.xlsx", "source_row": 2}])
    early = issue_frame([{"severity": "error", "rule": "a", "source_file": None}])
    assert concat_issues([late, early])["rule"].to_list() == ["a", "b"]


def test_every_message_has_both_languages_and_renders():
    for rule, message in MESSAGES.items():
        assert message.zh and message.en, rule
    assert render("negative_value", column="guards", column_zh="专职保安员数", value="-1") == (
        "专职保安员数（-1）不能为负数",
        "guards (-1) must not be negative",
    )
