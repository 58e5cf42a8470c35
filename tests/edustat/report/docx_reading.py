"""Reading a .docx back from its XML, independently of the renderer: the comments and the text each one anchors,
the tables (with the caption above each), the paragraphs and the runs' fonts."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SOURCE_LINE = re.compile(r"^(?P<code>[a-z0-9_]+) \((?P<name>.*?)\) · (?P<region>\d{6})(?: [^·]*)? · (?P<year>\d{4}) · run (?P<run>\d+|—) · (?P<value>\S+)$")
"""A comment's source line in English: `preschool_ger (name) · 622901 Linxia City · 2020 · run 3 · 97.5`."""
SOURCE_LINE_ANY = re.compile(r"^(?P<code>[a-z0-9_]+) [(（].*?[)）] ?· (?P<region>\d{6})(?: [^·]*)? · (?P<year>\d{4}) · run (?P<run>\d+|—) · (?P<value>\S+)$")


@dataclass(frozen=True)
class Comment:
    """One comment: the text it anchors in the document and its own lines."""

    anchored: str
    lines: tuple[str, ...]

    def sources(self) -> list[dict[str, str]]:
        """The stored values the comment names (code, region, year, run, value)."""
        return [m.groupdict() for line in self.lines if (m := SOURCE_LINE_ANY.match(line))]


@dataclass(frozen=True)
class Table:
    """One table: the caption paragraph before it and its rows of cell texts (merged cells once per grid cell)."""

    caption: str
    rows: list[list[str]]
    grid_widths_twips: list[int]


def _text(element: ET.Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


class Docx:
    """A .docx read with zipfile and ElementTree."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            self.names = archive.namelist()
            self.document = ET.fromstring(archive.read("word/document.xml"))
            self.comments_xml = ET.fromstring(archive.read("word/comments.xml")) if "word/comments.xml" in self.names else None
            self.footers = [ET.fromstring(archive.read(n)) for n in self.names if re.match(r"word/footer\d*\.xml", n)]
            self.media = {n: archive.read(n) for n in self.names if n.startswith("word/media/")}
        self.body = self.document.find(f"{W}body")

    def comments(self) -> list[Comment]:
        """Every comment with the document text between its range start and end, in document order."""
        texts: dict[str, list[str]] = {}
        open_ids: list[str] = []
        order: list[str] = []
        for element in self.body.iter():
            if element.tag == f"{W}commentRangeStart":
                cid = element.get(f"{W}id")
                open_ids.append(cid)
                texts[cid] = []
                order.append(cid)
            elif element.tag == f"{W}commentRangeEnd":
                open_ids.remove(element.get(f"{W}id"))
            elif element.tag == f"{W}t":
                for cid in open_ids:
                    texts[cid].append(element.text or "")
        bodies = {}
        if self.comments_xml is not None:
            for comment in self.comments_xml.findall(f"{W}comment"):
                bodies[comment.get(f"{W}id")] = tuple(_text(p) for p in comment.findall(f"{W}p"))
        return [Comment("".join(texts[cid]), bodies.get(cid, ())) for cid in order]

    def paragraphs(self) -> list[ET.Element]:
        """The body's own paragraphs (not those in tables), in order."""
        return list(self.body.findall(f"{W}p"))

    def paragraph_texts(self) -> list[str]:
        return [_text(p) for p in self.paragraphs()]

    def tables(self) -> list[Table]:
        """Every table with the text of the paragraph just before it."""
        found = []
        previous = ""
        for element in self.body:
            if element.tag == f"{W}p":
                previous = _text(element)
            elif element.tag == f"{W}tbl":
                rows = []
                for tr in element.findall(f"{W}tr"):
                    rows.append([_text(tc) for tc in tr.findall(f"{W}tc")])
                grid = [int(c.get(f"{W}w")) for c in element.find(f"{W}tblGrid").findall(f"{W}gridCol")]
                found.append(Table(previous, rows, grid))
        return found

    def all_text(self) -> str:
        return _text(self.body)

    def footer_text(self) -> str:
        return " ".join(_text(f) for f in self.footers)

    def section(self) -> dict[str, int]:
        """The page size and margins of the body's section, in twips (1/1440 inch)."""
        sect = self.body.find(f"{W}sectPr")
        size = sect.find(f"{W}pgSz")
        margins = sect.find(f"{W}pgMar")
        found = {"width": int(size.get(f"{W}w")), "height": int(size.get(f"{W}h"))}
        for side in ("top", "bottom", "left", "right"):
            found[side] = int(margins.get(f"{W}{side}"))
        return found


def run_fonts(paragraph: ET.Element) -> list[tuple[str, str | None, str | None, str | None]]:
    """(text, East Asian face, Latin face, size in half-points) of each run of a paragraph that has text."""
    found = []
    for run in paragraph.iter(f"{W}r"):
        text = _text(run)
        if not text:
            continue
        fonts = run.find(f"{W}rPr/{W}rFonts")
        size = run.find(f"{W}rPr/{W}sz")
        found.append(
            (text, fonts.get(f"{W}eastAsia") if fonts is not None else None, fonts.get(f"{W}ascii") if fonts is not None else None,
             size.get(f"{W}val") if size is not None else None)
        )
    return found
