"""Find the input files of one statistical year."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from schemas.issues import issue, issue_frame

INPUT_SUFFIXES = (".xlsx", ".xls", ".csv")
"""File types the pipeline reads (contract §2)."""


def _is_skipped(relative: Path) -> bool:
    # Office writes "~$name.xlsx" lock files next to open workbooks; dot-files are OS or editor clutter.
    return relative.name.startswith("~$") or any(part.startswith(".") for part in relative.parts)


def discover_files(root: Path) -> list[Path]:
    """Every .xlsx/.xls/.csv file below ``root`` (recursive), sorted by relative path; one entry per file."""
    root = Path(root)
    found = [
        path
        for path in root.rglob("*")
        if path.suffix.lower() in INPUT_SUFFIXES
        and not _is_skipped(path.relative_to(root))
        and path.is_file()
    ]
    return sorted(found, key=lambda path: path.relative_to(root).as_posix())


def skipped_files(root: Path) -> list[str]:
    """The spreadsheet-named files below ``root`` that are not read (hidden dot-files, Office lock files), by relative path."""
    root = Path(root)
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.suffix.lower() in INPUT_SUFFIXES and _is_skipped(path.relative_to(root))
    )


def skipped_file_issues(root: Path) -> pl.DataFrame:
    """One warning per file below ``root`` that is not read, so that a run and `validate` say what they left out."""
    return issue_frame([issue("skipped_file", "warning", source_file=name) for name in skipped_files(root)])
