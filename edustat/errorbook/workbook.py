"""The error workbook a clerk gets back: the problem list, then every offending sheet copied with its cells marked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import polars as pl

from edustat.errorbook.cells import SourceSheet, read_source_sheets
from edustat.errorbook.copies import Mark, copy_sheet
from edustat.errorbook.issues import normalise_issues
from edustat.errorbook.names import SheetNamer, copy_name_parts
from edustat.errorbook.problems_sheet import PROBLEMS_SHEET, write_problems
from edustat.ingest.discover import is_inside


def _mark(problem: dict[str, Any], source: SourceSheet) -> Mark:
    """Where a problem lands: its cell; a row without a column → the row's first cell; neither → the sheet's first cell."""
    row = problem["target_row"] if problem["target_row"] is not None else source.first_row
    col = problem["target_col"] if problem["target_col"] is not None else source.first_col
    return Mark(
        row=row,
        col=col,
        is_error=problem["severity"] == "error",
        severity=problem["severity"],
        rule=problem["rule"],
        message_zh=problem["message_zh"],
        message_en=problem["message_en"],
    )


def _copy_offending_sheets(book: openpyxl.Workbook, problems: list[dict[str, Any]], input_dir: Path) -> None:
    """Copy each offending sheet once (in problem order) and set ``link_sheet``/``link_cell`` on its problems."""
    namer = SheetNamer((PROBLEMS_SHEET,))
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for problem in problems:
        if problem["source_file"] and problem["source_sheet"]:
            groups.setdefault((problem["source_file"], problem["source_sheet"]), []).append(problem)
    by_file: dict[str, list[str]] = {}
    for source_file, source_sheet in groups:
        by_file.setdefault(source_file, []).append(source_sheet)
    # Only files of the input folder itself are copied: a name that leads outside it is listed, never opened.
    sources = {
        (source_file, sheet): source
        for source_file, sheets in by_file.items()
        if is_inside(input_dir / source_file, input_dir)
        for sheet, source in read_source_sheets(input_dir / source_file, sheets).items()
    }
    for (source_file, source_sheet), members in groups.items():
        source = sources.get((source_file, source_sheet))
        if source is None:
            continue
        marks = [_mark(p, source) for p in members]
        name = namer.claim(*copy_name_parts(source_file, source_sheet))
        ws = book.create_sheet(name)
        try:
            copy_sheet(ws, source, marks)
        except Exception:  # noqa: BLE001 - a sheet that will not copy is listed only, never fatal
            book.remove(ws)
            continue
        for problem, mark in zip(members, marks, strict=True):
            problem["link_sheet"], problem["link_cell"] = name, mark.coordinate


def _build(problems: list[dict[str, Any]], input_dir: Path, *, with_copies: bool) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.active.title = PROBLEMS_SHEET
    for problem in problems:
        problem["link_sheet"] = problem["link_cell"] = None
    if with_copies:
        _copy_offending_sheets(book, problems, input_dir)
    write_problems(book[PROBLEMS_SHEET], problems)
    return book


def write_error_workbook(issues: pl.DataFrame, input_dir: Path, out_path: Path) -> Path:
    """Write the error workbook for ``issues`` (one row per problem) to ``out_path`` and return it.

    First sheet "问题清单 Problems": one row per issue, errors first, each linked to its cell.
    Then one sheet per offending source sheet (``source_file`` relative to ``input_dir``), its
    cells at their original coordinates, problem cells filled red (errors) or yellow (warnings)
    with the messages as a comment. A source that cannot be read is listed only.
    """
    problems = normalise_issues(issues).to_dicts()
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        _build(problems, Path(input_dir), with_copies=True).save(out_path)
    except Exception:  # noqa: BLE001 - whatever the copies choke on, the clerk still gets the list
        _build(problems, Path(input_dir), with_copies=False).save(out_path)
    return out_path
