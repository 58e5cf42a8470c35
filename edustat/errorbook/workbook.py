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
from schemas.bound import problem_totals

NOT_REOPENED = ("sheet_too_large",)
"""Rules of a sheet refused unread for its size: its copy would make a reader build the range that was refused."""


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


def _copy_offending_sheets(
    book: openpyxl.Workbook, problems: list[dict[str, Any]], input_dir: Path, max_cells: int | None
) -> list[str]:
    """Copy each offending sheet once (in problem order) and set ``link_sheet``/``link_cell`` on its problems.

    A sheet refused for its size is not opened again. Returns the names of the copies cut for the budget.
    """
    namer = SheetNamer((PROBLEMS_SHEET,))
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for problem in problems:
        if problem["source_file"] and problem["source_sheet"]:
            groups.setdefault((problem["source_file"], problem["source_sheet"]), []).append(problem)
    refused = {key for key, members in groups.items() if any(p["rule"] in NOT_REOPENED for p in members)}
    by_file: dict[str, list[str]] = {}
    for source_file, source_sheet in (key for key in groups if key not in refused):
        by_file.setdefault(source_file, []).append(source_sheet)
    # Only files of the input folder itself are copied: a name that leads outside it is listed, never opened.
    sources = {
        (source_file, sheet): source
        for source_file, sheets in by_file.items()
        if is_inside(input_dir / source_file, input_dir)
        for sheet, source in read_source_sheets(input_dir / source_file, sheets, max_cells).items()
    }
    cut: list[str] = []
    for (source_file, source_sheet), members in groups.items():
        source = sources.get((source_file, source_sheet))
        if source is None:
            continue
        marked = [(p, _mark(p, source)) for p in members]
        # A problem below a cut copy's last row has no cell to mark: it is listed only.
        marked = [(p, m) for p, m in marked if source.cut_below is None or m.row <= source.cut_below]
        name = namer.claim(*copy_name_parts(source_file, source_sheet))
        ws = book.create_sheet(name)
        try:
            copy_sheet(ws, source, [m for _, m in marked])
        except Exception:  # noqa: BLE001 - a sheet that will not copy is listed only, never fatal
            book.remove(ws)
            continue
        for problem, mark in marked:
            problem["link_sheet"], problem["link_cell"] = name, mark.coordinate
        if source.cut_below is not None:
            cut.append(name)
    return cut


def _build(
    problems: list[dict[str, Any]], input_dir: Path, totals: tuple[int, int], *, with_copies: bool, max_cells: int | None
) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.active.title = PROBLEMS_SHEET
    for problem in problems:
        problem["link_sheet"] = problem["link_cell"] = None
    cut = _copy_offending_sheets(book, problems, input_dir, max_cells) if with_copies else []
    write_problems(book[PROBLEMS_SHEET], problems, totals, cut)
    return book


def write_error_workbook(issues: pl.DataFrame, input_dir: Path, out_path: Path, max_copied_cells: int | None = None) -> Path:
    """Write the error workbook for ``issues`` (one row per problem) to ``out_path`` and return it.

    First sheet "问题清单 Problems": one row per issue, errors first, each linked to its cell.
    Then one sheet per offending source sheet (``source_file`` relative to ``input_dir``), its
    cells at their original coordinates, problem cells filled red (errors) or yellow (warnings)
    with the messages as a comment. A source that cannot be read is listed only. Every sheet stays
    within Excel's limits; a copy holds at most ``max_copied_cells`` cells (None: Excel's grid),
    cut below a whole row with a note.
    """
    normalised = normalise_issues(issues)
    problems, totals = normalised.to_dicts(), problem_totals(normalised)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        _build(problems, Path(input_dir), totals, with_copies=True, max_cells=max_copied_cells).save(out_path)
    except Exception:  # noqa: BLE001 - whatever the copies choke on, the clerk still gets the list
        _build(problems, Path(input_dir), totals, with_copies=False, max_cells=max_copied_cells).save(out_path)
    return out_path
