"""The report as a Word document (python-docx), laid out as Chinese official documents are (GB/T 9704): A4, margins
37/35/28/26 mm, title in 小标宋 2号, body in 仿宋 3号 with two-character indents, headings in 黑体; English in Times
New Roman. Tables are numbered 表1… and split by columns to fit the page; charts are PNG pictures numbered 图1…;
every figure carries a Word comment naming its indicator code, region, year and run."""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from edustat.report.charts_png import png
from edustat.report.document import CAPTIONS, Chart, Report, Section
from edustat.report.tables import CountyTable, column_need
from edustat.report.traced import Figure, Source, Traced

AUTHOR = "edustat"


@dataclass(frozen=True)
class Fonts:
    """The fonts and sizes of one language's document: Latin and East Asian faces, sizes in points."""

    latin: str
    body: str
    title: str
    heading1: str
    heading2: str
    table: str
    body_size: float
    title_size: float
    heading_size: float
    table_size: float
    line_pitch: float
    """Exact line spacing of the body, points."""
    caption_size: float
    footer_size: float


ZH = Fonts(
    latin="Times New Roman",
    body="仿宋_GB2312",
    title="方正小标宋简体",
    heading1="黑体",
    heading2="楷体_GB2312",
    table="仿宋_GB2312",
    body_size=16,  # 3号
    title_size=22,  # 2号
    heading_size=16,
    table_size=10.5,  # 5号
    line_pitch=28,
    caption_size=14,  # 4号
    footer_size=10.5,
)
EN = Fonts(
    latin="Times New Roman",
    body="Times New Roman",
    title="Times New Roman",
    heading1="Times New Roman",
    heading2="Times New Roman",
    table="Times New Roman",
    body_size=12,
    title_size=18,
    heading_size=14,
    table_size=9,
    line_pitch=20,
    caption_size=11,
    footer_size=9,
)

FALLBACKS = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体", "黑体": "SimHei"}
"""Fonts every Chinese Windows and WPS has, named in the font table as the alternates of the GB/T 9704 faces."""

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TEXT_WIDTH_PT = (210 - 28 - 26) / 25.4 * 72
"""The width of the text column (156 mm) in points."""
CHART_WIDTH = Mm(156)

ORDINALS_ZH = "一二三四五六七八九十"
ROLE_WORDS = {
    "zh": {"value": "值", "previous": "上年值", "change": "变化 = 本年值 − 上年值（按表中位数）", "target": "目标", "gap": "差距 = 目标 − 值",
           "count": "达标的县数", "low": "最低值", "high": "最高值"},
    "en": {"value": "value", "previous": "last year's value", "change": "change = this year − last year (as the table writes them)",
           "target": "target", "gap": "gap = target − value", "count": "regions meeting it", "low": "lowest", "high": "highest"},
}


def _set_fonts(element_rpr, latin: str, east_asia: str) -> None:
    """Latin and East Asian faces on a run's or style's rPr (python-docx sets only the Latin ones)."""
    fonts = element_rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        # rFonts comes first in rPr, after a character style (w:rStyle) when there is one (the schema's order).
        has_style = len(element_rpr) and element_rpr[0].tag == qn("w:rStyle")
        element_rpr.insert(1 if has_style else 0, fonts)
    # A theme font (the template's styles name them) would win over the face named here.
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _run(paragraph: Paragraph, text: str, fonts: Fonts, east_asia: str, size: float, bold: bool = False, colour: str | None = None):
    run = paragraph.add_run(text)
    run.font.name = fonts.latin
    run.font.size = Pt(size)
    run.font.bold = bold or None
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    _set_fonts(run._r.get_or_add_rPr(), fonts.latin, east_asia)
    return run


def _spacing(paragraph: Paragraph, pitch: float, before: float = 0, after: float = 0) -> None:
    form = paragraph.paragraph_format
    form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    form.line_spacing = Pt(pitch)
    form.space_before = Pt(before)
    form.space_after = Pt(after)


def _indent_two_characters(paragraph: Paragraph, size: float) -> None:
    """A first-line indent of two characters (w:firstLineChars, with the points for readers that ignore it)."""
    paragraph.paragraph_format.first_line_indent = Pt(2 * size)
    ind = paragraph._p.get_or_add_pPr().find(qn("w:ind"))
    ind.set(qn("w:firstLineChars"), "200")


class _Writer:
    """Writes one Report into a python-docx Document, numbering tables and figures and commenting every figure."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.lang = report.lang
        self.fonts = ZH if report.lang == "zh" else EN
        self.region_names = report.region_names
        self.indicator_names = report.indicator_names
        self.doc: DocxDocument = Document()

    # -- page, styles, footer -------------------------------------------------------------------------------------

    def page(self) -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
        section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
        section.header_distance, section.footer_distance = Mm(15), Mm(20)
        fonts = self.fonts
        normal = self.doc.styles["Normal"]
        normal.font.name = fonts.latin
        normal.font.size = Pt(fonts.body_size)
        _set_fonts(normal.element.get_or_add_rPr(), fonts.latin, fonts.body)
        for name, face, size in (("Heading 1", fonts.heading1, fonts.heading_size), ("Heading 2", fonts.heading2, fonts.heading_size), ("Title", fonts.title, fonts.title_size)):
            style = self.doc.styles[name]
            style.font.name = fonts.latin
            style.font.size = Pt(size)
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.font.bold = self.lang == "en" or None
            style.font.italic = False
            _set_fonts(style.element.get_or_add_rPr(), fonts.latin, face)
        # The template's thumbnail is a picture of another document: file browsers would show it as this one's.
        package_rels = self.doc.part.package.rels
        for rel_id, rel in list(package_rels.items()):
            if rel.reltype.endswith("/metadata/thumbnail"):
                package_rels.pop(rel_id)
        core = self.doc.core_properties
        core.title = self.report.title
        core.author = AUTHOR
        core.comments = self.report.footer
        core.keywords = ""

    def footer(self) -> None:
        """The page footer: the run(s) behind the figures and their reason, then the page number (— 1 —)."""
        footer = self.doc.sections[0].footer
        paragraph = footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, self.report.footer, self.fonts, self.fonts.body, self.fonts.footer_size - 1.5, colour="404040")
        number = footer.add_paragraph()
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(number, "— ", self.fonts, self.fonts.latin, 14)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        inner = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        inner.append(text)
        field.append(inner)
        number._p.append(field)
        _set_fonts(_rpr(inner), self.fonts.latin, self.fonts.latin)
        _run(number, " —", self.fonts, self.fonts.latin, 14)

    # -- text -----------------------------------------------------------------------------------------------------

    def title(self) -> None:
        paragraph = self.doc.add_paragraph(style="Title")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(paragraph, self.fonts.title_size * 1.6, after=self.fonts.line_pitch)
        _run(paragraph, self.report.title, self.fonts, self.fonts.title, self.fonts.title_size, bold=self.lang == "en")
        _no_border(paragraph)

    def heading(self, text: str, number: int) -> None:
        paragraph = self.doc.add_paragraph(style="Heading 1")
        prefix = f"{ORDINALS_ZH[number - 1]}、" if self.lang == "zh" and number <= len(ORDINALS_ZH) else ""
        _spacing(paragraph, self.fonts.line_pitch, before=self.fonts.line_pitch / 2)
        if self.lang == "zh":
            _indent_two_characters(paragraph, self.fonts.heading_size)
        paragraph.paragraph_format.keep_with_next = True
        _run(paragraph, prefix + text, self.fonts, self.fonts.heading1, self.fonts.heading_size, bold=self.lang == "en")

    def paragraph(self, text: str, *, size: float | None = None, colour: str | None = None, bold: bool = False) -> Paragraph:
        """A body paragraph with a two-character indent; its figures each get a comment."""
        size = size or self.fonts.body_size
        paragraph = self.doc.add_paragraph()
        _spacing(paragraph, self.fonts.line_pitch * size / self.fonts.body_size)
        _indent_two_characters(paragraph, size)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        self.traced_runs(paragraph, text, self.fonts.body, size, colour=colour, bold=bold)
        return paragraph

    def traced_runs(self, paragraph: Paragraph, text: str, face: str, size: float, colour: str | None = None, bold: bool = False) -> None:
        """``text`` as runs: one per figure, each with its comment, and the text between."""
        pieces = text.pieces() if isinstance(text, Traced) else [(str(text), None)]
        for piece, figure in pieces:
            run = _run(paragraph, piece, self.fonts, face, size, bold=bold, colour=colour)
            if figure is not None:
                self.doc.add_comment(run, text=self.comment_text(piece, figure), author=AUTHOR, initials="ES")

    def comment_text(self, shown: str, figure: Figure) -> str:
        """What a figure's comment says: each source as `code · region · year · run · value`, what the figure is of them,
        and the command that traces a stored value back to its schools."""
        words = ROLE_WORDS[self.lang]
        lines = [f"{shown}: {words[figure.role]}"]
        for source in figure.sources:
            lines.append(self._source_line(source))
        traced = [s for s in figure.sources if not s.is_target]
        if traced:
            first = traced[0]
            lines.append(f"edustat trace --year {first.year} --indicator {first.code} --region {first.region_code}")
        return "\n".join(lines)

    def _source_line(self, source: Source) -> str:
        name = self.indicator_names.get(source.code, source.code)
        value = "—" if source.value is None else repr(float(source.value)).removesuffix(".0")
        if source.is_target:
            scope = source.region_code
            return f"{source.code} ({name}) · target {scope} · config/rules.toml [targets] · {value}" if self.lang == "en" else (
                f"{source.code}（{name}）· 目标 {scope} · config/rules.toml [targets] · {value}"
            )
        region = f"{source.region_code} {self.region_names.get(source.region_code, '')}".strip()
        run = f"run {source.run_id}" if source.run_id is not None else "run —"
        return f"{source.code} ({name}) · {region} · {source.year} · {run} · {value}"

    def caption(self, text: str, above: bool) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(paragraph, self.fonts.caption_size * 1.5, before=6 if above else 0, after=0 if above else 12)
        paragraph.paragraph_format.keep_with_next = above
        face = self.fonts.heading1 if self.lang == "zh" else self.fonts.body
        _run(paragraph, text, self.fonts, face, self.fonts.caption_size, bold=self.lang == "en")

    # -- tables and charts ----------------------------------------------------------------------------------------

    def table(self, section: Section, table: CountyTable) -> None:
        continued = CAPTIONS[self.lang]["continued"].format(n=section.table_number)
        for part, (groups, columns) in enumerate(split_columns(table, self.fonts.table_size)):
            label = section.table_caption if part == 0 else continued
            self.caption(label, above=True)
            self._table_part(table, groups, columns)

    def _table_part(self, table: CountyTable, groups: list[tuple[str, int]], columns: list[int]) -> None:
        size = self.fonts.table_size
        widths = column_widths(table, columns, size)
        grid = self.doc.add_table(rows=2 + len(table.rows), cols=len(columns))
        grid.style = self.doc.styles["Table Grid"]
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        grid.autofit = False
        _fixed_layout(grid, widths)
        position = 0
        for label, span in groups:
            cell = grid.cell(0, position)
            if span > 1:
                cell = cell.merge(grid.cell(0, position + span - 1))
            if position > 0:
                self._cell(cell, label, size, header=True)
            position += span
        # The region column's header spans both header rows.
        region = grid.cell(0, 0).merge(grid.cell(1, 0))
        region.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        for extra in region.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        self._cell(region, table.columns[0], size, header=True)
        # Every cell once, row by row (merged cells repeat), rather than grid.cell(), which walks the whole table each time.
        cells = grid._cells
        width = len(columns)
        for index, column in enumerate(columns[1:], start=1):
            self._cell(cells[width + index], table.columns[column], size, header=True)
        for row_index, row in enumerate(table.rows):
            for index, column in enumerate(columns):
                cell = cells[(2 + row_index) * width + index]
                self._cell(cell, row[column], size, header=False, first=index == 0, bold=row_index == 0)
        for header in grid.rows[:2]:
            _repeat_header(header)
        position = 0
        for _, span in groups:  # a merged header cell is as wide as the columns it spans
            cells[position].width = Pt(sum(widths[position : position + span]))
            position += span
        for index, points in enumerate(widths):
            for row in range(1, len(grid.rows)):
                cells[row * width + index].width = Pt(points)

    def _cell(self, cell, text: str, size: float, header: bool, first: bool = False, bold: bool = False) -> None:
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if header else (WD_ALIGN_PARAGRAPH.LEFT if first else WD_ALIGN_PARAGRAPH.RIGHT)
        _spacing(paragraph, size * 1.35)
        face = self.fonts.heading1 if header and self.lang == "zh" else self.fonts.table
        self.traced_runs(paragraph, text, face, size, bold=bold or (header and self.lang == "en"))

    def chart(self, chart: Chart) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_before = Pt(6)
        width = min(CHART_WIDTH, Mm(chart.drawing.width * 25.4 / 96))
        run = paragraph.add_run()
        # The caption below names the chart: the picture leaves out its own title.
        run.add_picture(io.BytesIO(png(chart.drawing, with_title=False)), width=width)
        _set_fonts(run._r.get_or_add_rPr(), self.fonts.latin, self.fonts.body)
        name = chart.caption or chart.title
        caption = self.doc.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(caption, self.fonts.caption_size * 1.5, after=12)
        face = self.fonts.heading1 if self.lang == "zh" else self.fonts.body
        run = _run(caption, name, self.fonts, face, self.fonts.caption_size, bold=self.lang == "en")
        figure = Figure(0, len(name), "value", chart.sources)
        self.doc.add_comment(run, text=self.comment_text(name, figure), author=AUTHOR, initials="ES")
        drawing_name = paragraph._p.xpath(".//wp:docPr")
        for element in drawing_name:
            element.set("descr", name)

    # -- the whole document ---------------------------------------------------------------------------------------

    def write(self) -> DocxDocument:
        self.page()
        self.title()
        if self.report.notice:
            self.paragraph(self.report.notice, bold=True, colour="7B341E")
        for number, section in enumerate(self.report.sections, start=1):
            self.heading(section.title, number)
            for sentence in section.sentences:
                self.paragraph(sentence)
            if section.no_data:
                self.paragraph(section.no_data, colour="595959")
            if section.table is not None:
                if section.notice:
                    self.paragraph(section.notice, size=self.fonts.table_size + 1.5, colour="7B341E")
                self.table(section, section.table)
            for chart in section.charts:
                self.chart(chart)
        self.heading(self.report.difficulties_title, len(self.report.sections) + 1)
        for text in self.report.difficulties:
            self.paragraph(text)
        self.footer()
        _fallback_fonts(self.doc)
        _east_asian_on_every_run(self.doc, self.fonts)
        return self.doc


def _rpr(r_element):
    rpr = r_element.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        r_element.insert(0, rpr)
    return rpr


def _no_border(paragraph: Paragraph) -> None:
    """The template's Title style draws a rule under the title; an official document's title has none."""
    style_ppr = paragraph.style.element.find(qn("w:pPr"))
    if style_ppr is not None:
        for border in style_ppr.findall(qn("w:pBdr")):
            style_ppr.remove(border)


def _fixed_layout(grid, widths: list[float]) -> None:
    """Fixed column widths in the table grid (Word and LibreOffice then keep them instead of fitting to content)."""
    tbl_pr = grid._tbl.tblPr
    grid.autofit = False  # w:tblLayout w:type="fixed", in its place in the schema's order
    width = tbl_pr.find(qn("w:tblW"))  # python-docx's add_table always writes one
    if width is not None:
        width.set(qn("w:w"), str(round(sum(widths) * 20)))
        width.set(qn("w:type"), "dxa")
    for column, points in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        column.set(qn("w:w"), str(round(points * 20)))


def _repeat_header(row) -> None:
    """The header rows repeat on every page a table runs onto, and a row never breaks across pages."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)


def _east_asian_on_every_run(doc: DocxDocument, fonts: Fonts) -> None:
    """Every run of the body, footer and comments names an East Asian face (the body's when it has none of its own)."""
    parts = [doc.element.body, doc.sections[0].footer._element]
    if doc.part._comments_part is not None:
        parts.append(doc.part._comments_part.element)
    for root in parts:
        for r in root.iter(qn("w:r")):
            rpr = _rpr(r)
            found = rpr.find(qn("w:rFonts"))
            if found is None or found.get(qn("w:eastAsia")) is None:
                _set_fonts(rpr, fonts.latin, fonts.body)


def _fallback_fonts(doc: DocxDocument) -> None:
    """Name in the font table the faces every Chinese Windows has as alternates of the GB/T 9704 faces, so Word and
    WPS substitute 仿宋 for a missing 仿宋_GB2312 rather than a Latin default."""
    part = next((p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:
        return
    from lxml import etree

    root = etree.fromstring(part.blob)
    for name, alternate in FALLBACKS.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), alternate)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")
        family = etree.SubElement(font, qn("w:family"))
        family.set(qn("w:val"), "modern" if "黑" in name else "roman")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# -- fitting tables to the page ---------------------------------------------------------------------------------------


def column_widths(table: CountyTable, columns: list[int], size: float) -> list[float]:
    """Widths in points of ``columns``, stretched to the text column's width when narrower."""
    needs = [column_need(table, column, size) for column in columns]
    total = sum(needs)
    if total < TEXT_WIDTH_PT:
        needs = [need * TEXT_WIDTH_PT / total for need in needs]
    return needs


def split_columns(table: CountyTable, size: float) -> list[tuple[list[tuple[str, int]], list[int]]]:
    """The table cut into parts that fit the text column: each part the region column and as many whole indicator
    groups as fit (at least one); returns each part's groups and column indexes."""
    region_need = column_need(table, 0, size)
    parts: list[tuple[list[tuple[str, int]], list[int]]] = []
    groups: list[tuple[str, int]] = [table.groups[0]]
    columns: list[int] = [0]
    used = region_need
    position = table.groups[0][1]
    for label, span in table.groups[1:]:
        indexes = list(range(position, position + span))
        need = sum(column_need(table, column, size) for column in indexes)
        if len(groups) > 1 and used + need > TEXT_WIDTH_PT:
            parts.append((groups, columns))
            groups, columns, used = [table.groups[0]], [0], region_need
        groups.append((label, span))
        columns += indexes
        used += need
        position += span
    parts.append((groups, columns))
    return parts


def render_docx(report: Report) -> bytes:
    """The report as the bytes of a .docx file."""
    writer = _Writer(report)
    out = io.BytesIO()
    writer.write().save(out)
    return out.getvalue()
