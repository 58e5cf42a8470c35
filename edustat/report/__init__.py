"""The indicator section of the self-evaluation report, from the warehouse alone: pure functions from frames to HTML,
Markdown or Word (edustat.report.word, imported only when a .docx is asked for: it loads python-docx and Pillow)."""

from edustat.report.document import Report, build_report
from edustat.report.html import render_html
from edustat.report.markdown import MarkdownReport, render_markdown

__all__ = ["MarkdownReport", "Report", "build_report", "render_html", "render_markdown"]
