"""Find the input files of one statistical year, in one walk that never leaves the input folder.

The walk never follows a link. A link (to a file or a folder) whose target lies outside the folder
is an error naming the link, and the target is never opened; a link to something inside the folder
is a warning and is not read either, so that every file is read once, under its own name.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import polars as pl

from schemas.issues import issue, issue_frame

INPUT_SUFFIXES = (".xlsx", ".xls", ".csv")
"""File types the pipeline reads (contract §2)."""

FOLDER_RULES = ("skipped_file", "link_outside_folder", "link_in_folder")
"""Rules of what the walk leaves unread: found again by every run's walk, so never carried over from a stored run."""


@dataclass(frozen=True)
class InputFolder:
    """A year's input folder as one walk found it (grain: one entry per file or link below ``root``, relative paths in posix form).

    ``files``: the files to read, sorted by relative path; ``skipped``: hidden and Office lock files;
    ``outside_links``: links whose target lies outside the folder; ``inside_links``: (link, target)
    pairs of links to a place inside it.
    """

    root: Path
    files: tuple[Path, ...] = ()
    skipped: tuple[str, ...] = ()
    outside_links: tuple[str, ...] = ()
    inside_links: tuple[tuple[str, str], ...] = ()

    def unread(self) -> list[str]:
        """One line per entry the walk leaves unread (``rule:path``, sorted): what the input fingerprint adds to the files' hashes."""
        entries = [f"skipped_file:{name}" for name in self.skipped]
        entries += [f"link_outside_folder:{name}" for name in self.outside_links]
        entries += [f"link_in_folder:{link}>{target}" for link, target in self.inside_links]
        return sorted(entries)


def _is_skipped(relative: PurePosixPath) -> bool:
    # Office writes "~$name.xlsx" lock files next to open workbooks; dot-files are OS or editor clutter.
    return relative.name.startswith("~$") or any(part.startswith(".") for part in relative.parts)


def _entries(root: Path) -> Iterator[tuple[os.DirEntry[str], PurePosixPath]]:
    """Every entry below ``root`` that is not a real folder (files, links, others), with its relative path; links are not followed."""
    pending = [(str(root), PurePosixPath())]
    while pending:
        folder, relative = pending.pop()
        try:
            with os.scandir(folder) as listing:
                children = list(listing)
        except OSError:
            continue  # a folder the process may not list holds nothing it could read either
        for entry in children:
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, relative / entry.name))
            else:
                yield entry, relative / entry.name


def scan_folder(root: Path) -> InputFolder:
    """The year's input folder walked once: what to read, and what is left unread and why (see InputFolder)."""
    root = Path(root)
    real_root = Path(os.path.realpath(root))
    files: list[tuple[str, Path]] = []
    skipped: list[str] = []
    outside: list[str] = []
    inside: list[tuple[str, str]] = []
    for entry, relative in _entries(root):
        name = relative.as_posix()
        is_input = relative.suffix.lower() in INPUT_SUFFIXES
        if entry.is_symlink():
            # realpath (no open) tells where the link leads; a folder link matters whatever its name.
            target = Path(os.path.realpath(entry.path))
            if not (is_input or target.is_dir()):
                continue
            if _is_skipped(relative):
                skipped.append(name)
            elif target.is_relative_to(real_root):
                inside.append((name, target.relative_to(real_root).as_posix()))
            else:
                outside.append(name)
        elif is_input and _is_skipped(relative):
            skipped.append(name)
        elif is_input and entry.is_file(follow_symlinks=False):
            files.append((name, Path(entry.path)))
    return InputFolder(
        root=root,
        files=tuple(path for _, path in sorted(files)),
        skipped=tuple(sorted(skipped)),
        outside_links=tuple(sorted(outside)),
        inside_links=tuple(sorted(inside)),
    )


def discover_files(root: Path) -> list[Path]:
    """Every .xlsx/.xls/.csv file below ``root`` (recursive, links not followed), sorted by relative path; one entry per file."""
    return list(scan_folder(root).files)


def folder_issues(folder: InputFolder) -> pl.DataFrame:
    """One issue per entry the walk left unread (grain: one file or link): so that a run and `validate` say what they left out."""
    rows = [issue("skipped_file", "warning", source_file=name) for name in folder.skipped]
    rows += [issue("link_outside_folder", "error", source_file=name) for name in folder.outside_links]
    rows += [issue("link_in_folder", "warning", source_file=link, value=target, target=target) for link, target in folder.inside_links]
    return issue_frame(rows)


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path`` is a file of its own below ``root``: not a link, and its real place inside the real ``root`` (one path)."""
    path = Path(path)
    return not path.is_symlink() and Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def open_input(path: Path) -> BinaryIO:
    """One input file opened for reading; a link in its place (swapped in after the walk) is refused with an OSError, never followed."""
    return open(path, "rb", opener=_without_following)


def _without_following(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0))
