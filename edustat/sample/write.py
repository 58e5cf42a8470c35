"""The I/O edge of `edustat sample`: rendered sheets into .xlsx and GBK .csv files, byte-for-byte reproducible."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import xlsxwriter

from config import RegionTree, load_regions
from edustat.sample.generate import generate_year
from edustat.sample.render import Cell, Sheet, number_text, render_county, split_by_county
from edustat.sample.shapes import SHAPES

CSV_ENCODING = "gb18030"
"""What Excel on Chinese Windows saves a CSV as (GBK; gb18030 is its superset and writes the same bytes here)."""


def _csv_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, int | float):
        return number_text(cell) if isinstance(cell, float) else str(cell)
    return cell


def write_csv(path: Path, sheet: Sheet) -> None:
    """One sheet as a CSV file with CRLF line ends, encoded as GB18030."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([_csv_text(c) for c in row] for row in sheet.rows)
    path.write_bytes(buffer.getvalue().encode(CSV_ENCODING))


def write_workbook(path: Path, sheets: Iterable[Sheet], author: str, year: int) -> None:
    """Sheets into one .xlsx; fixed document properties so the same sheets give the same bytes."""
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True})
    # xlsxwriter stamps the zip entries with 1980-01-01; the created date is the only clock left.
    workbook.set_properties({"author": author, "created": datetime(year + 1, 1, 15, 9, 0, 0)})
    title_format = workbook.add_format({"bold": True, "font_size": 14, "align": "center"})
    header_format = workbook.add_format({"bold": True, "text_wrap": True, "valign": "vcenter", "border": 1})
    for sheet in sheets:
        worksheet = workbook.add_worksheet(sheet.name)
        worksheet.set_column(0, 1, 14)
        worksheet.set_column(2, max(sheet.width - 1, 2), 11)
        for r, row in enumerate(sheet.rows):
            if r < sheet.title_rows:
                if sheet.is_title_merged and sheet.width > 1:
                    worksheet.merge_range(r, 0, r, sheet.width - 1, row[0], title_format)
                else:
                    worksheet.write(r, 0, row[0], title_format if r == 0 else None)
            elif r == sheet.title_rows:
                worksheet.write_row(r, 0, row, header_format)
            else:
                worksheet.write_row(r, 0, row)
    workbook.close()


def write_sheets(out_dir: Path, sheets: list[Sheet], author: str, year: int) -> list[Path]:
    """Every sheet into its file below ``out_dir`` (sheets sharing a path share a workbook); the paths written."""
    by_path: dict[str, list[Sheet]] = {}
    for sheet in sheets:
        by_path.setdefault(sheet.path, []).append(sheet)
    written = []
    for relative, members in by_path.items():
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".csv":
            write_csv(path, members[0])
        else:
            write_workbook(path, members, author, year)
        written.append(path)
    return written


def write_sample(out_dir: Path, years: list[int], seed: int = 2021, regions: RegionTree | None = None) -> list[Path]:
    """Sample spreadsheets for every year in ``years`` below ``out_dir/{year}/``; one file set per county.

    Counties take the shapes of shapes.SHAPES in turn. The same seed writes the same bytes.
    Returns every file written, in writing order.
    """
    tree = regions or load_regions()
    out_dir = Path(out_dir)
    written: list[Path] = []
    for year in years:
        by_county = split_by_county(generate_year(year, seed, regions))
        counties = [r for r in tree.regions if r.level == "county"]
        for i, county in enumerate(counties):
            shape = SHAPES[i % len(SHAPES)]
            sheets = render_county(by_county[county.code], county.code, county.name_zh, year, shape, seed)
            written += write_sheets(out_dir, sheets, f"{county.name_zh}教育局", year)
    return written
