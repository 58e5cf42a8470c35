"""The error workbook a clerk gets back: the problem list ``errors_<year>.xlsx``, and beside it a marked copy of every file with a problem."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl

from edustat.errorbook.issues import normalise_issues
from edustat.errorbook.marked import MarkedCopy, copyable, write_marked_copy
from edustat.errorbook.problems_sheet import write_problems
from edustat.ingest.read import PROBLEMS_SHEET
from schemas.bound import problem_totals

COPIES_MARKER = ".edustat-marked-copies"
"""A file in the copies folder saying edustat made it: only such a folder is emptied before the next check's copies."""


def copies_dir_for(out_path: Path) -> Path:
    """The folder of the marked copies beside a problem list: its name without ``.xlsx`` (``errors/errors_2020/``)."""
    out_path = Path(out_path)
    return out_path.with_name(out_path.stem)


def clear_error_workbook(out_path: Path) -> bool:
    """Remove an earlier check's problem list ``out_path`` and its copies folder, when edustat made that folder (its marker);
    True when something was removed. A clean check leaves no stale copy that could be sent back by mistake."""
    copies_dir = copies_dir_for(out_path)
    if not (copies_dir / COPIES_MARKER).is_file():
        return False
    shutil.rmtree(copies_dir)
    Path(out_path).unlink(missing_ok=True)
    return True


def _may_hold_copies(copies_dir: Path, input_dir: Path) -> bool:
    """Whether the copies can go to ``copies_dir``, emptied of an earlier check's copies first.

    Never into or around the input folder (a copy would replace an original, or be read as input next
    time), and never into a folder that edustat did not make (it is emptied).
    """
    copies, inputs = copies_dir.resolve(), input_dir.resolve()
    if copies == inputs or copies.is_relative_to(inputs) or inputs.is_relative_to(copies):
        return False
    if copies_dir.exists():
        if not (copies_dir / COPIES_MARKER).is_file():
            return not any(copies_dir.iterdir()) if copies_dir.is_dir() else False
        # Copies of an earlier check would be taken for this one's.
        shutil.rmtree(copies_dir)
    return True


def _write_copies(problems: list[dict[str, Any]], normalised: pl.DataFrame, input_dir: Path, copies_dir: Path, max_cells: int | None) -> list[MarkedCopy]:
    """A marked copy of every input file with a problem (see ``edustat.errorbook.marked``); a file that will not copy is listed only."""
    by_file: dict[str, list[dict[str, Any]]] = {}
    for problem in problems:
        if problem["source_file"]:
            by_file.setdefault(problem["source_file"], []).append(problem)
    written: list[MarkedCopy] = []
    for source_file, members in by_file.items():
        if not copyable(source_file, {p["rule"] for p in members if p["rule"]}, input_dir):
            continue
        totals = problem_totals(normalised.filter(pl.col("source_file") == source_file))
        try:
            written.append(write_marked_copy(source_file, members, totals, input_dir, copies_dir, max_cells))
        except Exception:  # noqa: BLE001 - a file that will not copy is listed only, never fatal
            for problem in members:
                problem["link_sheet"] = problem["link_cell"] = problem["copy_file"] = None
    return written


def _linked_to_copies(problems: list[dict[str, Any]], copies_dir: Path) -> list[dict[str, Any]]:
    """The problem list's rows: each problem linked to its cell in its marked copy (``errors_2020/file.xlsx#'sheet'!C7``),
    or to the copy's problem list when it has no cell."""
    rows = []
    for problem in problems:
        row = dict(problem)
        if problem.get("copy_file"):
            row["link_file"] = f"{copies_dir.name}/{problem['copy_file']}"
            if not problem.get("link_sheet"):
                row["link_sheet"], row["link_cell"] = PROBLEMS_SHEET, "A1"
        else:
            row["link_sheet"] = row["link_cell"] = None
        rows.append(row)
    return rows


def write_error_workbook(
    issues: pl.DataFrame, input_dir: Path, out_path: Path, max_copied_cells: int | None = None, with_copies: bool = True
) -> Path:
    """Write the problem list for ``issues`` (one row per problem) to ``out_path``, and the marked copies beside it; return its path.

    The problem list ``errors_2020.xlsx`` has one sheet "问题清单 Problems": one row per issue, errors first,
    each linked to its cell in its file's marked copy. The copies (``edustat.errorbook.marked``) are in the
    folder named like the list without ``.xlsx``, at the inputs' relative paths (``source_file`` below
    ``input_dir``); a source that cannot be read is listed only. Every sheet stays within Excel's limits;
    a rebuilt copy's sheet holds at most ``max_copied_cells`` cells (None: Excel's grid), cut below a whole row with a note.
    ``with_copies=False`` writes the list alone (what the copies cost is measured by ``benchmarks.clerk``).
    """
    normalised = normalise_issues(issues)
    problems, totals = normalised.to_dicts(), problem_totals(normalised)
    for problem in problems:
        problem["link_sheet"] = problem["link_cell"] = problem["copy_file"] = None
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    copies_dir = copies_dir_for(out_path)
    copies = []
    if with_copies and _may_hold_copies(copies_dir, Path(input_dir)):
        copies_dir.mkdir(parents=True, exist_ok=True)
        (copies_dir / COPIES_MARKER).write_text("edustat: marked copies of the last check / 上次检查的标注副本\n", encoding="utf-8")
        copies = _write_copies(problems, normalised, Path(input_dir), copies_dir, max_copied_cells)
    cut = [copy.copy_file for copy in copies if copy.is_cut]
    book = openpyxl.Workbook()
    book.active.title = PROBLEMS_SHEET
    write_problems(book.active, _linked_to_copies(problems, copies_dir), totals, cut, copies_dir=f"{copies_dir.name}/" if copies else None)
    book.save(out_path)
    return out_path
