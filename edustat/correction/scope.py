"""What a correction touches, its validation over the touched counties, and when that validation is enough (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from config import Checks, RegionTree, Rules
from edustat.ingest.discover import FOLDER_RULES
from edustat.ingest.files import FileResult
from edustat.ingest.stage import combine_year
from schemas.completeness.checks import INCOMPLETE_RULES
from schemas.issues import concat_issues
from schemas.staged import StagedTables
from schemas.tables import PROVENANCE_COLUMNS

TOUCHED_SCHEMA = {"school_code": pl.String, "county_code": pl.String}
"""Columns of a touched-rows frame: one row per school or county a file's rows name (county_code NULL when only the school is known)."""

UNCHANGED_FILES = "(unchanged files)"
"""Name under which the stored rows of unchanged files join the changed files' results."""


def touched_rows(tables: dict[str, pl.DataFrame] | StagedTables) -> pl.DataFrame:
    """Every school and county that rows of ``tables`` name: one row per distinct (school_code, county_code)."""
    items = tables.items() if isinstance(tables, StagedTables) else list(tables.items())
    frames = []
    for name, frame in items:
        school = pl.col("school_code") if "school_code" in frame.columns else pl.lit(None, dtype=pl.String)
        county = pl.col("county_code") if "county_code" in frame.columns else pl.lit(None, dtype=pl.String)
        frames.append(frame.select(school.cast(pl.String).alias("school_code"), county.cast(pl.String).alias("county_code")))
    if not frames:
        return pl.DataFrame(schema=TOUCHED_SCHEMA)
    return pl.concat(frames).unique(maintain_order=True)


def touched_by(parsed: Sequence[FileResult], replaced: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Every school and county named by the changed files' new rows or by the stored rows they replace (touched-rows frame)."""
    frames = [touched_rows(result.tables) for result in parsed] + [touched_rows(replaced)]
    return pl.concat(frames).unique(maintain_order=True)


def validate_correction(
    parsed: Sequence[FileResult],
    unchanged: StagedTables,
    present: frozenset[str],
    regions: RegionTree,
    rules: Rules,
    previous_enrollment: pl.DataFrame | None = None,
    counties: Sequence[str] | None = None,
    allow_incomplete: bool = False,
    checks: Checks | None = None,
    previous_year: Mapping[str, pl.DataFrame] | None = None,
) -> tuple[StagedTables, pl.DataFrame]:
    """The changed files' results with the stored rows of the touched counties: their staged tables and every issue.

    ``unchanged`` holds the stored rows, from unchanged files, of every school and county the change
    touches; ``present`` the tables that unchanged files hold at all (a sheet dropped from a changed
    file is no missing sheet while another file still has it). The same checks as a whole year run;
    those of completeness over ``counties`` (the touched ones) only, since the others are stored whole.
    """
    stored = FileResult(
        source_file=UNCHANGED_FILES,
        tables={name: frame for name, frame in unchanged.items() if name in present},
    )
    combined = combine_year([*parsed, stored], regions, rules, previous_enrollment, counties, allow_incomplete, checks, previous_year)
    return combined.staged, combined.issues


def is_conclusive(issues: pl.DataFrame, changed_files: Sequence[str], unchanged: StagedTables, stored_warnings: pl.DataFrame) -> bool:
    """Whether checking the touched counties alone found what checking the whole year would.

    It did when every issue lies in a changed file (or is a gap of a touched county) and no stored row that was re-checked carried a
    warning of the run being corrected (that warning may have gone or changed). Otherwise the run checks the whole year, so that every problem is reported where it is.
    """
    # A county's gaps are found over all of its rows, which a correction holds for every county it touches.
    located = issues.filter(~pl.col("rule").is_in(list(COUNTY_GAPS))).get_column("source_file")
    if located.is_null().any() or not located.is_in(list(changed_files)).all():
        return False
    rechecked = pl.concat([frame.select(PROVENANCE_COLUMNS) for _, frame in unchanged.items()])
    warned = stored_warnings.select(PROVENANCE_COLUMNS).drop_nulls()
    return rechecked.join(warned, on=list(PROVENANCE_COLUMNS), how="semi").height == 0


COUNTY_GAPS = ("county_not_reported", "table_not_reported")
"""Completeness rules whose issue value is the county's code."""


def carried_warnings(
    stored_warnings: pl.DataFrame, changed_files: Sequence[str], counties: Sequence[str] = (), schools: Sequence[str] = ()
) -> pl.DataFrame:
    """The warnings of the run being corrected that stay true (issue frame): those outside the changed files,
    except what the folder's walk left unread (FOLDER_RULES) and the gaps of the ``counties`` and ``schools`` the correction checked again (--allow-incomplete)."""
    outside = pl.col("source_file").is_null() | ~pl.col("source_file").is_in(list(changed_files))
    # What the folder's walk leaves unread is found afresh by every run: a stored one may be gone.
    outside &= ~pl.col("rule").is_in(list(FOLDER_RULES))
    rechecked = (pl.col("rule").is_in(list(COUNTY_GAPS)) & pl.col("value").is_in(list(counties))) | (
        (pl.col("rule") == "row_missing") & pl.col("value").is_in(list(schools))
    )
    return stored_warnings.filter(outside & ~rechecked.fill_null(False))


@dataclass(frozen=True)
class CorrectionContext:
    """What a correction reads from the warehouse besides the changed files.

    counties: every county whose rows the change touches; unchanged: the stored rows of unchanged
    files for those counties and the schools the change names; present: tables unchanged files hold
    at all; stored_warnings: the warnings of the run being corrected (issue frame).
    """

    counties: tuple[str, ...]
    unchanged: StagedTables
    present: frozenset[str]
    stored_warnings: pl.DataFrame


@dataclass(frozen=True)
class CheckedCorrection:
    """A correction validated: the touched counties' staged tables, every issue of the year, and whether they can stand for a whole-year check."""

    staged: StagedTables
    issues: pl.DataFrame
    is_conclusive: bool


def check_correction(
    parsed: Sequence[FileResult],
    context: CorrectionContext,
    changed_files: Sequence[str],
    regions: RegionTree,
    rules: Rules,
    previous_enrollment: pl.DataFrame | None = None,
    allow_incomplete: bool = False,
    checks: Checks | None = None,
    previous_year: Mapping[str, pl.DataFrame] | None = None,
) -> CheckedCorrection:
    """``validate_correction`` and ``is_conclusive`` together; the issues also carry the stored warnings that stay true."""
    staged, issues = validate_correction(
        parsed, context.unchanged, context.present, regions, rules, previous_enrollment, context.counties, allow_incomplete, checks, previous_year
    )
    conclusive = is_conclusive(issues, changed_files, context.unchanged, context.stored_warnings)
    schools = staged.schools.get_column("school_code").drop_nulls().to_list()
    carried = carried_warnings(context.stored_warnings, changed_files, context.counties, schools)
    # A gap of a county the correction did not touch, let through by an earlier --allow-incomplete run,
    # blocks a strict run: only checking the whole year can reject it where it is.
    if not allow_incomplete and carried.get_column("rule").is_in(list(INCOMPLETE_RULES)).any():
        conclusive = False
    return CheckedCorrection(staged=staged, issues=concat_issues([issues, carried]), is_conclusive=conclusive)


def touched_schools(parsed: Sequence[FileResult], context: CorrectionContext) -> list[str]:
    """Every school code a correction's validation sees: from the changed files and the stored rows read for it."""
    frames = [touched_rows(result.tables) for result in parsed] + [touched_rows(context.unchanged)]
    return sorted(set(pl.concat(frames)["school_code"].drop_nulls().to_list()))
