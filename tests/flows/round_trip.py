"""The clerk's round trip, as a test does it: faults put into one county's files, the marked copies corrected, sent back.

A file is a grid of cells per sheet: an .xlsx through openpyxl (values), a CSV as its fields (text, GB18030
as the sample writes it, one sheet named by its stem). The helpers read and write both the same way, so
that one correction can be applied to the original file and to its marked copy alike.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl

from edustat.errorbook.copies import COMMENT_AUTHOR
from edustat.errorbook.marked import copy_name
from edustat.ingest.read import is_problems_sheet

Cell = tuple[int, int]
Grid = dict[str, dict[Cell, object]]
"""Sheet name → (row, column) → value, non-empty cells only."""

CSV_ENCODING = "gb18030"


def read_grid(path: Path) -> Grid:
    """Every non-empty cell of every sheet of ``path`` (edustat's problem list left out)."""
    if path.suffix.lower() == ".csv":
        records = list(csv.reader(io.StringIO(path.read_bytes().decode(CSV_ENCODING), newline="")))
        return {path.stem: {(r, c): v for r, record in enumerate(records, 1) for c, v in enumerate(record, 1) if v != ""}}
    book = openpyxl.load_workbook(path, data_only=True)
    return {
        ws.title: {(cell.row, cell.column): cell.value for row in ws.iter_rows() for cell in row if cell.value not in (None, "")}
        for ws in book.worksheets
        if not is_problems_sheet(ws.title)
    }


def write_cells(path: Path, changes: dict[tuple[str, int, int], object]) -> None:
    """Write ``changes`` ((sheet, row, column) → value; None empties the cell) into ``path``; a CSV's rows grow as needed and
    trailing empty records are dropped (a removed last row is no blank line)."""
    if path.suffix.lower() == ".csv":
        records = list(csv.reader(io.StringIO(path.read_bytes().decode(CSV_ENCODING), newline="")))
        for (_, row, col), value in changes.items():
            while len(records) < row:
                records.append([])
            record = records[row - 1]
            while len(record) < col:
                record.append("")
            record[col - 1] = "" if value is None else str(value)
        while records and not any(records[-1]):
            records.pop()
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(records)
        path.write_bytes(out.getvalue().encode(CSV_ENCODING))
        return
    book = openpyxl.load_workbook(path)
    for (sheet, row, col), value in changes.items():
        book[sheet].cell(row=row, column=col).value = value
    book.save(path)


def marked_cells(copy_path: Path) -> dict[str, list[Cell]]:
    """The cells edustat marked in a copy (a note of its own), per sheet."""
    book = openpyxl.load_workbook(copy_path)
    marked: dict[str, list[Cell]] = {}
    for ws in book.worksheets:
        if is_problems_sheet(ws.title):
            continue
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None and cell.comment.author == COMMENT_AUTHOR:
                    marked.setdefault(ws.title, []).append((cell.row, cell.column))
    return marked


def corrections(copy_path: Path, clean: Grid, added_rows: dict[str, list[int]]) -> dict[tuple[str, int, int], object]:
    """What the clerk writes: the right value (the clean file's) at each marked cell of the copy, and the rows they were told are
    missing (``added_rows``: sheet → row numbers) written whole."""
    changes: dict[tuple[str, int, int], object] = {}
    for sheet, cells in marked_cells(copy_path).items():
        for row, col in cells:
            changes[(sheet, row, col)] = clean.get(sheet, {}).get((row, col))
    for sheet, rows in added_rows.items():
        for (row, col), value in clean[sheet].items():
            if row in rows:
                changes[(sheet, row, col)] = value
    return changes


def send_back_copies(folder: Path, copies_dir: Path) -> list[str]:
    """Each marked copy below ``copies_dir`` put in place of its original in ``folder`` (an .xlsx for a .csv: the .csv goes); the originals replaced."""
    replaced = []
    for copy in sorted(p for p in copies_dir.rglob("*.xlsx")):
        relative = copy.relative_to(copies_dir)
        originals = [p for p in (folder / relative).parent.glob(f"{relative.stem}.*") if copy_name(str(p.relative_to(folder))) == str(relative)]
        for original in originals:
            original.unlink()
            replaced.append(str(original.relative_to(folder)))
        shutil.copyfile(copy, folder / relative)
    return replaced
