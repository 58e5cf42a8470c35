"""The layout of .xlsx worksheets for their copies: merged ranges and set column widths, read from the sheet's XML.

openpyxl's streaming reader (which the copies use, so that a huge sheet is never loaded whole) gives
cells only; merges and widths are two kinds of element that a regex finds in one pass over the member.
Grain: one (merged ranges, widths) pair per worksheet.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import BinaryIO

from openpyxl.utils import get_column_letter

from edustat.ingest.extent import worksheet_names

Layout = tuple[list[str], dict[str, tuple[int, int, float]]]
"""Merged ranges ("A1:F1"), and first column letter → (first index, last index, width) of each run of set widths."""

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\sref="([^"]+)"')
_COLUMN = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')


def _widths(xml: bytes) -> dict[str, tuple[int, int, float]]:
    widths: dict[str, tuple[int, int, float]] = {}
    for attributes in _COLUMN.findall(xml):
        found = {key.decode(): value.decode() for key, value in _ATTRIBUTE.findall(attributes)}
        if found.get("customWidth") not in ("1", "true"):
            continue
        try:
            first, last, width = int(found["min"]), int(found["max"]), float(found["width"])
        except (KeyError, ValueError):
            continue
        if width and 0 < first <= last:
            widths[get_column_letter(first)] = (first, last, width)
    return widths


def layout_of(xml: bytes) -> Layout:
    """The merged ranges and set column widths of one worksheet's XML."""
    merged = [ref.decode() for ref in _MERGE.findall(xml) if b":" in ref]
    return merged, _widths(xml)


def sheet_layouts(source: Path | BinaryIO, sheets: list[str]) -> dict[str, Layout]:
    """Sheet name → layout of each of ``sheets`` (names as the workbook spells them) that the workbook (a path or its bytes) holds."""
    with zipfile.ZipFile(source) as archive:
        names = set(archive.namelist())
        rels = archive.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else b""
        members = worksheet_names(archive.read("xl/workbook.xml"), rels)
        return {sheet: layout_of(archive.read(member)) for member, sheet in members.items() if sheet in sheets and member in names}
