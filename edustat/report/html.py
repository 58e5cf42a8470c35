"""The report as one self-contained HTML page: inline CSS and inline SVG, nothing fetched."""

from __future__ import annotations

from html import escape

from edustat.report.document import Report, Section
from edustat.report.tables import CountyTable, table_need

STYLE = """
body { font-family: 'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif;
       color: #1a202c; max-width: 1100px; margin: 2em auto; padding: 0 1.5em; line-height: 1.7; }
h1 { font-size: 1.6em; border-bottom: 2px solid #3b6ea5; padding-bottom: .3em; }
h2 { font-size: 1.25em; margin-top: 2em; color: #2c5282; }
p.sentence { text-indent: 2em; margin: .4em 0; }
table.county { border-collapse: collapse; margin: 1em 0; font-size: .85em; }
table.county th, table.county td { border: 1px solid #cbd5e0; padding: .25em .6em; text-align: right; white-space: nowrap; }
table.county th { background: #edf2f7; text-align: center; white-space: normal; }
div.table-wrap { overflow-x: auto; }
table.county td:first-child { text-align: left; white-space: normal; min-width: 7em; }
table.county tr.subject td { font-weight: bold; background: #f7fafc; }
figure.chart { margin: 1.2em 0; }
section.difficulties p { text-indent: 2em; }
p.no-data { color: #718096; }
p.incomplete { background: #fffbeb; border-left: 4px solid #d69e2e; padding: .4em .8em; color: #744210; }
footer { margin-top: 3em; border-top: 1px solid #cbd5e0; padding-top: .6em; font-size: .85em; color: #4a5568; }
figure.chart svg { max-width: 100%; height: auto; }
caption { caption-side: top; font-weight: bold; padding: .3em 0; }
figcaption { text-align: center; font-weight: bold; }
@page { size: A4; margin: 16mm 14mm 16mm 14mm; }
@page wide { size: A4 landscape; margin: 14mm 16mm 14mm 16mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; line-height: 1.5; color: #000; }
  h1 { font-size: 16pt; }
  h2 { font-size: 13pt; margin-top: 1.2em; }
  h1, h2, caption, p.incomplete { break-after: avoid; page-break-after: avoid; }
  div.table-wrap { overflow: visible; break-inside: avoid; page-break-inside: avoid; }
  table.county { width: 100%; table-layout: fixed; font-size: 7.5pt; break-inside: auto; }
  section.landscape { page: wide; }
  table.county th, table.county td { white-space: normal; overflow-wrap: anywhere; padding: .15em .25em; border-color: #777; }
  table.county thead { display: table-header-group; }
  table.county tr, figure.chart { break-inside: avoid; page-break-inside: avoid; }
  table.county col.region { width: 16%; }
  figure.chart { margin: .6em 0; }
  footer { font-size: 8pt; }
}
"""

PRINT_TABLE_SIZE = 7.5
"""The type size of printed tables, points (the print stylesheet's)."""
PORTRAIT_WIDTH_PT = (210 - 14 - 14) / 25.4 * 72
"""The width inside the portrait page's margins, points; a section whose table needs more prints on landscape pages."""


def table_html(table: CountyTable, caption: str = "") -> str:
    """The county table: a header row of indicator names over value/last year/change columns, the subject's row first;
    ``caption`` (表1 学前教育) above it."""
    table_css = "county"
    head = f"<caption>{escape(caption)}</caption>" if caption else ""
    cols = '<colgroup><col class="region">' + "<col>" * (len(table.columns) - 1) + "</colgroup>"
    groups = "".join(f'<th colspan="{span}">{escape(label)}</th>' for label, span in table.groups)
    columns = "".join(f"<th>{escape(column)}</th>" for column in table.columns)
    rows = []
    for index, row in enumerate(table.rows):
        css = ' class="subject"' if index == 0 else ""
        rows.append(f"<tr{css}>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>")
    return f'<div class="table-wrap"><table class="{table_css}">{head}{cols}\n<thead><tr>{groups}</tr><tr>{columns}</tr></thead>\n<tbody>\n' + "\n".join(rows) + "\n</tbody>\n</table></div>"


def section_html(section: Section) -> str:
    """One <section>: heading, sentences, county table (with its caption, 表1 …), charts (with theirs, 图1 …)."""
    wide = section.table is not None and table_need(section.table, PRINT_TABLE_SIZE) > PORTRAIT_WIDTH_PT
    css = "indicators landscape" if wide else "indicators"
    parts = [f'<section class="{css}" id="{escape(section.key)}">', f"<h2>{escape(section.title)}</h2>"]
    parts += [f'<p class="sentence">{escape(text)}</p>' for text in section.sentences]
    if section.no_data:
        parts.append(f'<p class="no-data">{escape(section.no_data)}</p>')
    if section.table is not None:
        if section.notice:
            parts.append(f'<p class="incomplete">{escape(section.notice)}</p>')
        parts.append(table_html(section.table, section.table_caption))
    for chart in section.charts:
        caption = f"\n<figcaption>{escape(chart.caption)}</figcaption>" if chart.caption else ""
        parts.append(f'<figure class="chart" data-indicator="{escape(chart.code)}">\n{chart.svg}{caption}\n</figure>')
    parts.append("</section>")
    return "\n".join(parts)


def render_html(report: Report) -> str:
    """The whole page."""
    lang = "zh-CN" if report.lang == "zh" else "en"
    body = "\n".join(section_html(section) for section in report.sections)
    notice = f'<p class="incomplete" id="incomplete">{escape(report.notice)}</p>\n' if report.notice else ""
    difficulties = "\n".join(f"<p>{escape(text)}</p>" for text in report.difficulties)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(report.title)}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>{escape(report.title)}</h1>
{notice}{body}
<section class="difficulties" id="difficulties">
<h2>{escape(report.difficulties_title)}</h2>
{difficulties}
</section>
<footer>{escape(report.footer)}</footer>
</body>
</html>
"""
