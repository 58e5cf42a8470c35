"""Find the input files of one statistical year."""

from __future__ import annotations

from pathlib import Path

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
