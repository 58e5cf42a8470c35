"""A year's input folder → StagedTables and one frame with every issue of every file.

Three steps, so that the flow can run files in parallel and cache them by content:
``read_and_normalize_file`` (one file, I/O), ``combine_files`` (pure: all files → one year, Pandera
and cross-table checks) and ``stage_year`` (both, in order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from config.models import RegionTree, Rules
from edustat.ingest.discover import discover_files
from edustat.ingest.normalize import (
    empty_headers,
    empty_table,
    normalize_sheet,
    recognise_table,
    sheet_is_blank,
    unknown_sheet_issue,
)
from edustat.ingest.read import RawSheet, read_file, relative_name
from edustat.staged import StagedTables
from schemas.cross_table import cross_table_issues
from schemas.issues import concat_issues, empty_issues, issue, issue_frame
from schemas.tables import TABLES
from schemas.validate import validate_table

PROVENANCE = ["source_file", "source_sheet", "source_row"]


@dataclass(frozen=True)
class FileResult:
    """One input file normalised: its rows per table, its header map and its issues.

    ``tables`` holds an entry for every table the file has a non-blank sheet of (possibly with no
    rows); ``headers`` one row per (table, sheet, contract column) with the header as written and
    its Excel letter, which later checks use to name cells.
    """

    source_file: str
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    headers: pl.DataFrame = field(default_factory=empty_headers)
    issues: pl.DataFrame = field(default_factory=empty_issues)


def normalize_sheets(source_file: str, sheets: Sequence[RawSheet], rules: Rules, read_issues: pl.DataFrame | None = None) -> FileResult:
    """Every sheet of one file recognised and normalised (pure); unknown non-blank visible sheets are warned about and skipped."""
    parts: dict[str, list[pl.DataFrame]] = {}
    headers: list[pl.DataFrame] = []
    issues: list[pl.DataFrame] = [read_issues if read_issues is not None else empty_issues()]
    for sheet in sheets:
        if sheet_is_blank(sheet.data):
            continue
        table = recognise_table(sheet.source_sheet, sheet.file_stem, sheet.sheet_count)
        if table is None:
            # Hidden sheets hold drop-down lists and the like; only a visible one is the clerk's data.
            if sheet.is_visible:
                issues.append(unknown_sheet_issue(sheet))
            continue
        result = normalize_sheet(sheet, table, rules)
        parts.setdefault(table, []).append(result.frame)
        headers.append(result.headers)
        issues.append(result.issues)
    tables = {table: pl.concat(frames, how="vertical") for table, frames in parts.items()}
    return FileResult(
        source_file=source_file,
        tables=tables,
        headers=pl.concat(headers, how="vertical") if headers else empty_headers(),
        issues=concat_issues(issues),
    )


def read_and_normalize_file(path: Path, root: Path, rules: Rules) -> FileResult:
    """One input file read and normalised: its rows per table, header map and issues (never raises on bad input)."""
    sheets, read_issues = read_file(Path(path), Path(root), rules.limits)
    return normalize_sheets(relative_name(Path(path), Path(root)), sheets, rules, read_issues)


def _combined_table(table: str, results: Sequence[FileResult]) -> pl.DataFrame:
    frames = [result.tables[table] for result in results if table in result.tables]
    if not frames:
        return empty_table(table)
    return pl.concat(frames, how="vertical").sort(PROVENANCE, maintain_order=True)


def _without_reported_cells(schema_issues: pl.DataFrame, file_issues: pl.DataFrame) -> pl.DataFrame:
    """Schema issues minus those on a cell that ingest already reported (one mistake, one issue)."""
    reported = file_issues.select("source_file", "source_sheet", "cell").drop_nulls().unique()
    return schema_issues.join(reported, on=["source_file", "source_sheet", "cell"], how="anti", nulls_equal=False)


def combine_files(
    results: Sequence[FileResult],
    regions: RegionTree,
    rules: Rules,
    previous_enrollment: pl.DataFrame | None = None,
) -> tuple[StagedTables, pl.DataFrame]:
    """All files of one year → its staged tables and every issue (pure).

    Rows of a table from all files are concatenated in file, sheet and row order; each table is
    validated by its Pandera schema; then keys, schools, stages and counties are checked across
    tables. The tables are returned even when there are errors: the caller decides with has_errors.
    """
    ordered = sorted(results, key=lambda result: result.source_file)
    tables = {table: _combined_table(table, ordered) for table in TABLES}
    present = {table for result in ordered for table in result.tables}
    headers = pl.concat([r.headers for r in ordered], how="vertical") if ordered else empty_headers()
    file_issues = concat_issues(r.issues for r in ordered)
    schema_issues = concat_issues(validate_table(table, tables[table], headers, rules) for table in TABLES)
    issues = concat_issues(
        [
            file_issues,
            _without_reported_cells(schema_issues, file_issues),
            cross_table_issues(tables, headers, present, regions, rules, previous_enrollment),
        ]
    )
    return StagedTables(**tables), issues


def stage_year(
    input_dir: Path,
    regions: RegionTree,
    rules: Rules,
    previous_enrollment: pl.DataFrame | None = None,
) -> tuple[StagedTables, pl.DataFrame]:
    """Every file below ``input_dir`` read, normalised, validated and combined: the year's staged tables and all issues."""
    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        missing = issue_frame([issue("unreadable_file", "error", source_file=str(input_dir), detail="not a folder / 不是文件夹")])
        staged, issues = combine_files([], regions, rules, previous_enrollment)
        return staged, concat_issues([missing, issues])
    results = [read_and_normalize_file(path, input_dir, rules) for path in discover_files(input_dir)]
    return combine_files(results, regions, rules, previous_enrollment)
