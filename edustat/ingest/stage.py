"""A year's input folder → StagedTables and one frame with every issue of every file.

Three steps, so that the flow can run files in parallel and cache them by content:
``read_and_normalize_file`` (one file, I/O), ``combine_year`` (pure: all files → one year, Pandera
and cross-table checks) and ``stage_year`` (both, in order).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from config import Checks, RegionTree, Rules
from edustat.ingest.batches import file_batches
from edustat.ingest.discover import folder_issues, scan_folder
from edustat.ingest.files import FileResult, normalize_sheets, read_and_normalize_file, read_and_normalize_files
from edustat.ingest.headers import empty_headers
from schemas.bound import bound_issues
from schemas.catalogue import load_checks
from schemas.checks import check_issues
from schemas.completeness.checks import without_unread_gaps
from schemas.completeness.status import Completeness, assess_completeness
from schemas.cross_table import cross_table_issues
from schemas.issues import concat_issues, issue, issue_frame
from schemas.outliers import outlier_issues
from schemas.staged import StagedTables, empty_table
from schemas.tables import PROVENANCE_COLUMNS, TABLES
from schemas.validate import validate_table

__all__ = ["CombinedYear", "FileResult", "combine_year", "normalize_sheets", "read_and_normalize_file", "read_and_normalize_files", "stage_year"]


def _combined_table(table: str, results: Sequence[FileResult]) -> pl.DataFrame:
    frames = [result.tables[table] for result in results if table in result.tables]
    if not frames:
        return empty_table(table)
    return pl.concat(frames, how="vertical").sort(list(PROVENANCE_COLUMNS), maintain_order=True)


def _without_reported_cells(schema_issues: pl.DataFrame, file_issues: pl.DataFrame) -> pl.DataFrame:
    """Schema issues minus those on a cell that ingest already reported (one mistake, one issue)."""
    reported = file_issues.select("source_file", "source_sheet", "cell").drop_nulls().unique()
    return schema_issues.join(reported, on=["source_file", "source_sheet", "cell"], how="anti", nulls_equal=False)


@dataclass(frozen=True)
class CombinedYear:
    """All files of one year combined: its staged tables, every issue (one row per problem) and its completeness
    (``schemas.completeness.status.Completeness``: one status row per county × table)."""

    staged: StagedTables
    issues: pl.DataFrame
    completeness: Completeness


def combine_year(
    results: Sequence[FileResult],
    regions: RegionTree,
    rules: Rules,
    previous_enrollment: pl.DataFrame | None = None,
    counties: Iterable[str] | None = None,
    allow_incomplete: bool = False,
    checks: Checks | None = None,
    previous_year: Mapping[str, pl.DataFrame] | None = None,
) -> CombinedYear:
    """All files of one year → its staged tables, every issue and its completeness (pure).

    ``counties`` limits the completeness checks to a correction's counties; ``allow_incomplete``
    stores missing counties, tables and rows as warnings instead of errors; ``checks`` are the
    relationship checks (default: config/checks.toml); ``previous_year`` the previous year's school-level
    tables (``warehouse.read.previous_year``), which the outlier warnings compare with.

    Rows of a table from all files are concatenated in file, sheet and row order; each table is
    validated by its Pandera schema; then keys, schools, stages and counties are checked across
    tables. The tables are returned even when there are errors: the caller decides with has_errors.
    Per file and rule at most ``rules.limits.max_issues_per_file_rule`` issues are listed, then one
    that counts the rest (schemas.bound).
    """
    ordered = sorted(results, key=lambda result: result.source_file)
    tables = {table: _combined_table(table, ordered) for table in TABLES}
    present = {table for result in ordered for table in result.tables}
    headers = pl.concat([r.headers for r in ordered], how="vertical") if ordered else empty_headers()
    file_issues = concat_issues(r.issues for r in ordered)
    relations = check_issues(checks if checks is not None else load_checks(), tables, headers, rules)
    schema_issues = concat_issues([*(validate_table(table, tables[table], headers, rules) for table in TABLES), relations])
    completeness = assess_completeness(tables, regions, rules, counties)
    issues = without_unread_gaps(
        concat_issues(
            [
                file_issues,
                _without_reported_cells(schema_issues, file_issues),
                cross_table_issues(tables, headers, present, regions, rules, completeness, previous_enrollment, allow_incomplete),
            ]
        )
    )
    # An outlier on a cell that already has a problem is that problem again (one mistake, one issue).
    issues = concat_issues([issues, _without_reported_cells(outlier_issues(tables, previous_year, headers, regions, rules), issues)])
    # Bounded once every check has seen every problem, before anything lists, stores or copies them.
    issues = bound_issues(issues, rules.limits.max_issues_per_file_rule)
    return CombinedYear(staged=StagedTables(**tables), issues=issues, completeness=completeness)


def stage_year(
    input_dir: Path,
    regions: RegionTree,
    rules: Rules,
    previous_enrollment: pl.DataFrame | None = None,
    allow_incomplete: bool = False,
    counties: Iterable[str] | None = None,
    checks: Checks | None = None,
    previous_year: Mapping[str, pl.DataFrame] | None = None,
) -> tuple[StagedTables, pl.DataFrame]:
    """Every file below ``input_dir`` read, normalised, validated and combined: the year's staged tables and all issues.

    ``counties`` limits the completeness checks to those counties (``validate --county``).
    """
    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        missing = issue_frame([issue("unreadable_file", "error", source_file=str(input_dir), detail="not a folder / 不是文件夹")])
        combined = combine_year([], regions, rules, previous_enrollment, counties, allow_incomplete=allow_incomplete, checks=checks, previous_year=previous_year)
        return combined.staged, concat_issues([missing, combined.issues])
    folder = scan_folder(input_dir)
    results = [read_and_normalize_files(batch, input_dir, rules) for batch in file_batches(list(folder.files), workers=1)]
    results.append(FileResult(source_file=str(input_dir), issues=folder_issues(folder)))
    combined = combine_year(results, regions, rules, previous_enrollment, counties, allow_incomplete=allow_incomplete, checks=checks, previous_year=previous_year)
    return combined.staged, combined.issues
