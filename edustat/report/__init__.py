"""The indicator section of the self-evaluation report, from the warehouse alone: pure functions from frames to HTML or Markdown."""

from edustat.report.document import Report, build_report
from edustat.report.html import render_html
from edustat.report.markdown import MarkdownReport, render_markdown

__all__ = ["MarkdownReport", "Report", "build_report", "render_html", "render_markdown"]
