"""Text from the warehouse (region names, a run's reason) is inert in the Markdown report, as in the HTML one."""

from __future__ import annotations

from edustat.report.markdown import markdown_text


def test_html_is_escaped_like_the_html_report() -> None:
    assert markdown_text("<script>alert(1)</script>临夏县") == "&lt;script&gt;alert(1)&lt;/script&gt;临夏县"


def test_markdown_markup_is_backslash_escaped() -> None:
    assert markdown_text("**x** [a](http://e) `c` |t|") == "\\*\\*x\\*\\* \\[a\\](http://e) \\`c\\` \\|t\\|"


def test_a_line_start_cannot_open_a_heading_or_quote_and_line_breaks_are_spaces() -> None:
    assert markdown_text("# heading") == "\\# heading"
    assert markdown_text("reason\n> quoted") == "reason &gt; quoted"


def test_plain_report_wording_is_unchanged() -> None:
    assert markdown_text("学前三年毛入园率95.42%，增长15.81%") == "学前三年毛入园率95.42%，增长15.81%"
