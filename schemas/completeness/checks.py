"""The completeness issues: a county or a table not reported, a missing row, classes that cannot hold their students (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

from config import RegionTree, Rules
from schemas.completeness.status import Completeness
from schemas.issues import concat_issues, empty_issues, issues_from
from schemas.locate import locate
from schemas.tables import DATA_TABLES, PROVENANCE_COLUMNS, TABLES

INCOMPLETE_RULES = ("county_not_reported", "table_not_reported", "row_missing")
"""The errors that ``--allow-incomplete`` stores as warnings; every other error still blocks."""


def _with_county_names(frame: pl.DataFrame, regions: RegionTree) -> pl.DataFrame:
    by_code = regions.by_code()
    return frame.with_columns(
        pl.col("county_code").replace_strict({c: r.name_zh for c, r in by_code.items()}, default="").alias("county_name_zh"),
        pl.col("county_code").replace_strict({c: r.name_en for c, r in by_code.items()}, default="").alias("county_name_en"),
    )


def county_not_reported_issues(status: pl.DataFrame, regions: RegionTree) -> pl.DataFrame:
    """One error per county of the status with no school in the input (a population row alone does not count)."""
    rows = status.filter((pl.col("table_name") == "schools") & ~pl.col("is_reported")).select("county_code")
    rows = _with_county_names(rows, regions).with_columns(pl.col("county_code").alias("value"))
    return issues_from(rows, "county_not_reported", "error", table_name="schools")


def table_not_reported_issues(status: pl.DataFrame, schools: pl.DataFrame, present: Iterable[str], regions: RegionTree) -> pl.DataFrame:
    """One error per county with schools × school-level table (that some file holds) without a single row of it; names the files of the county's schools."""
    present = set(present)
    with_schools = status.filter((pl.col("table_name") == "schools") & pl.col("is_reported")).select("county_code")
    files = schools.group_by("county_code").agg(pl.col("source_file").unique().sort().str.join(", ").alias("files"))
    rows = (
        status.filter(pl.col("table_name").is_in([t for t in DATA_TABLES if t in present]) & ~pl.col("is_reported"))
        .join(with_schools, on="county_code", how="semi")
        .join(files, on="county_code", how="left")
        .with_columns(
            pl.col("table_name").alias("table"),
            pl.col("table_name").replace_strict({t: s.sheet_zh for t, s in TABLES.items()}).alias("table_zh"),
            pl.col("county_code").alias("value"),
        )
    )
    return issues_from(_with_county_names(rows, regions), "table_not_reported", "error")


def _stage_names(rules: Rules, lang: str) -> dict[str, str]:
    return {code: (info.name_zh if lang == "zh" else code) for code, info in rules.stages.items()}


def row_missing_issues(missing: pl.DataFrame, status: pl.DataFrame, headers: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """One error per missing row (``missing_rows``), at the school's registry row; none for a table its county did not report at all (one mistake, one issue)."""
    unreported = status.filter(~pl.col("is_reported")).select("county_code", "table_name")
    rows = missing.join(unreported, on=["county_code", "table_name"], how="anti")
    if rows.height == 0:
        return empty_issues()
    stage_zh = pl.col("stage").replace_strict(_stage_names(rules, "zh"), default=pl.col("stage"))
    rows = rows.with_columns(
        pl.col("table_name").alias("table"),
        pl.col("table_name").replace_strict({t: s.sheet_zh for t, s in TABLES.items()}).alias("table_zh"),
        pl.when(pl.col("stage").is_null()).then(pl.lit("")).otherwise(pl.concat_str(pl.lit("（"), stage_zh, pl.lit("）"))).alias("stage_part_zh"),
        pl.when(pl.col("stage").is_null()).then(pl.lit("")).otherwise(pl.concat_str(pl.lit(" for stage "), pl.col("stage"))).alias("stage_part_en"),
        pl.concat_str(pl.col("source_file"), pl.lit(" ["), pl.col("source_sheet"), pl.lit("] 第 "), pl.col("source_row").cast(pl.String), pl.lit(" 行")).alias("place_zh"),
        pl.concat_str(pl.col("source_file"), pl.lit(" ["), pl.col("source_sheet"), pl.lit("] row "), pl.col("source_row").cast(pl.String)).alias("place_en"),
        pl.col("school_name").fill_null(""),
        pl.col("school_code").alias("value"),
    ).sort(list(PROVENANCE_COLUMNS))
    # The issue points at the registry row (a link in the error workbook), naming the table that lacks the row.
    located = locate(rows, "schools", "school_code", headers)
    return issues_from(located, "row_missing", "error", table_name=pl.col("table_name"))


def inconsistent_class_size_issues(enrollment: pl.DataFrame | None, headers: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """One error per stage row whose students exceed what its classes hold without large classes.

    With L = large_class_above (55) and S = super_large_class_above (65): students > S × classes
    with classes_66_plus = 0, or else students > L × classes with classes_56_65 + classes_66_plus = 0.
    Rows with an empty cell among the four are skipped (already an error).
    """
    if enrollment is None or enrollment.height == 0:
        return empty_issues()
    large, super_large = rules.completeness.large_class_above, rules.completeness.super_large_class_above
    columns = ["students", "classes", "classes_56_65", "classes_66_plus"]
    rows = enrollment.select("school_code", "stage", *columns, *PROVENANCE_COLUMNS).drop_nulls(columns)
    is_super = (pl.col("students") > super_large * pl.col("classes")) & (pl.col("classes_66_plus") == 0)
    is_large = (pl.col("students") > large * pl.col("classes")) & ((pl.col("classes_56_65") + pl.col("classes_66_plus")) == 0)
    spec = TABLES["enrollment"]
    header_66, header_56 = spec.column("classes_66_plus").header_zh, spec.column("classes_56_65").header_zh
    rows = (
        rows.filter(is_super | is_large)
        .with_columns(
            pl.when(is_super).then(pl.lit(super_large)).otherwise(pl.lit(large)).cast(pl.String).alias("limit"),
            pl.when(is_super).then(pl.lit(header_66)).otherwise(pl.lit(f"{header_56}与{header_66}")).alias("classes_zh"),
            pl.when(is_super).then(pl.lit("classes_66_plus")).otherwise(pl.lit("classes_56_65 + classes_66_plus")).alias("classes_en"),
            pl.col("stage").replace_strict(_stage_names(rules, "zh"), default=pl.col("stage")).alias("stage_zh"),
            pl.col("students").cast(pl.String).alias("value"),
        )
        .sort(list(PROVENANCE_COLUMNS))
    )
    return issues_from(locate(rows, "enrollment", "classes", headers), "inconsistent_class_sizes", "error", table_name="enrollment")


READ_FAILURES = (
    "empty_file", "not_a_workbook", "password_protected", "file_too_large", "compression_ratio_too_high",
    "unreadable_file", "unreadable_sheet", "undecodable_csv", "header_not_found", "internal_error",
    "link_outside_folder",
)
"""File errors after which a file's rows are unknown: whatever seems missing may be in it."""


def without_unread_gaps(issues: pl.DataFrame) -> pl.DataFrame:
    """``issues`` without the gaps (INCOMPLETE_RULES) when a file or sheet could not be read.

    Its rows may be the missing ones (one mistake, one issue); the read error blocks the year anyway,
    and the gaps are checked once the file can be read.
    """
    if issues.height == 0 or not issues.get_column("rule").is_in(list(READ_FAILURES)).any():
        return issues
    return issues.filter(~pl.col("rule").is_in(list(INCOMPLETE_RULES)))


def relaxed(issues: pl.DataFrame) -> pl.DataFrame:
    """``issues`` with the errors of INCOMPLETE_RULES stored as warnings (``--allow-incomplete``); every other issue as it was."""
    if issues.height == 0:
        return issues
    return issues.with_columns(
        pl.when(pl.col("rule").is_in(INCOMPLETE_RULES)).then(pl.lit("warning")).otherwise(pl.col("severity")).alias("severity")
    )


def completeness_issues(
    tables: Mapping[str, pl.DataFrame],
    headers: pl.DataFrame,
    present: Iterable[str],
    completeness: Completeness,
    regions: RegionTree,
    rules: Rules,
    allow_incomplete: bool = False,
) -> pl.DataFrame:
    """Every completeness issue of a year (or of a correction's counties, ``completeness``'s scope), relaxed when ``allow_incomplete``.

    ``completeness`` is ``assess_completeness`` of the same tables. Without a schools sheet anywhere only the
    class-size and teacher checks run: the rest would echo ``missing_sheet``.
    """
    frames = [
        inconsistent_class_size_issues(tables.get("enrollment"), headers, rules),
    ]
    present = set(present)
    if "schools" in present:
        status = completeness.status
        # A table no file holds is missing_sheet, not a missing row of every school.
        missing = completeness.missing.filter(pl.col("table_name").is_in(list(present)))
        frames += [
            county_not_reported_issues(status, regions),
            table_not_reported_issues(status, completeness.schools, present, regions),
            row_missing_issues(missing, status, headers, rules),
        ]
    issues = concat_issues(frames)
    return relaxed(issues) if allow_incomplete else issues
