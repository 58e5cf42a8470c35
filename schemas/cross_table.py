"""Rules across the rows of all files and across tables of one year: pure functions on staged frames.

Each function returns an issue frame (one row per offending row, or per missing thing); frames are
the staged tables of ``schemas.tables`` with their provenance columns, and ``headers`` the header map
of ingest (used to name the cell of the offending value).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from config import RegionTree, Rules
from schemas.completeness.checks import completeness_issues
from schemas.completeness.status import Completeness, allowed_stages
from schemas.issues import concat_issues, empty_issues, issues_from
from schemas.locate import locate
from schemas.school_rows import SCHOOL_ID, SchoolRows
from schemas.tables import PROVENANCE_COLUMNS, TABLES

FLOAT_SLACK = 1e-9
"""Absolute slack for comparing a count with a limit × count, so that exactly at the limit is not beyond it."""


def _place(lang: str, suffix: str = "") -> pl.Expr:
    """ "file [sheet] row n" of the columns source_file``suffix``/…, in Chinese or English."""
    file, sheet, row = (pl.col(f"{name}{suffix}") for name in PROVENANCE_COLUMNS)
    row_text = row.cast(pl.String)
    if lang == "zh":
        return pl.concat_str(file, pl.lit(" ["), sheet, pl.lit("] 第 "), row_text, pl.lit(" 行"))
    return pl.concat_str(file, pl.lit(" ["), sheet, pl.lit("] row "), row_text)


def duplicate_key_issues(table: str, frame: pl.DataFrame, headers: pl.DataFrame, max_named: int) -> pl.DataFrame:
    """Every row whose key (TableSpec.key) another row repeats, anywhere in the year: one error per occurrence, naming
    the first ``max_named`` others and counting the rest."""
    spec = TABLES[table]
    key = list(spec.key)
    keyed = frame.select(*key, *PROVENANCE_COLUMNS).drop_nulls(key).with_row_index("__id")
    repeated = keyed.filter(pl.len().over(key) > 1)
    if repeated.height == 0:
        return empty_issues()
    # Each occurrence meets only the first few of its key, never every other: 200,000 copies of one row
    # would otherwise pair up into 4·10¹⁰ rows.
    firsts = repeated.group_by(key, maintain_order=True).agg(pl.col("__id").head(max_named + 1).alias("__id__other"), pl.len().alias("__count"))
    places = repeated.select(pl.col("__id").alias("__id__other"), *(pl.col(name).alias(f"{name}__other") for name in PROVENANCE_COLUMNS))
    pairs = (
        repeated.select("__id", *key)
        .join(firsts, on=key)
        .explode("__id__other")
        .filter(pl.col("__id") != pl.col("__id__other"))
        .filter(pl.int_range(pl.len()).over("__id") < max_named)
        .join(places, on="__id__other")
        .sort(["__id", "__id__other"])
    )
    unnamed = pl.col("__count").first() - 1 - pl.len()
    more = {lang: pl.when(unnamed > 0).then(pl.format(text, unnamed)).otherwise(pl.lit("")) for lang, text in (("zh", "；另有 {} 处"), ("en", "; and {} more"))}
    others = pairs.group_by("__id", maintain_order=True).agg(
        pl.concat_str(_place("zh", "__other").str.join("; "), more["zh"]).alias("others_zh"),
        pl.concat_str(_place("en", "__other").str.join("; "), more["en"]).alias("others_en"),
    )
    rows = repeated.join(others, on="__id").sort("__id").with_columns(
        pl.concat_str([pl.col(name).cast(pl.String) for name in key], separator="/").alias("value")
    )
    located = locate(rows, table, key[0], headers)
    return issues_from(
        located, "duplicate_key", "error", table_name=table,
        key_zh="+".join(spec.column(name).header_zh for name in key), key_en=" + ".join(key),
    )


def _registry(schools: pl.DataFrame) -> pl.DataFrame:
    return schools.select("school_code", "school_type_code").drop_nulls("school_code").unique("school_code", keep="first", maintain_order=True)


def unknown_school_issues(school_rows: SchoolRows, headers: pl.DataFrame) -> pl.DataFrame:
    """Rows of the data tables whose school_code is not in the schools table: one error per row."""
    frames = []
    for table, paired in school_rows.rows.items():
        rows = (
            paired.filter(pl.col("school_code").is_not_null() & pl.col(SCHOOL_ID).is_null())
            .select("school_code", *PROVENANCE_COLUMNS)
            .with_columns(pl.col("school_code").alias("value"))
        )
        frames.append(issues_from(locate(rows, table, "school_code", headers), "unknown_school", "error", table_name=table))
    return concat_issues(frames)


def stage_not_allowed_issues(
    schools: pl.DataFrame, tables: Mapping[str, pl.DataFrame], headers: pl.DataFrame, rules: Rules
) -> pl.DataFrame:
    """Rows (school × stage tables) whose stage the school's type may not report: one error per row.

    Schools of a type outside the code list are skipped: the type itself is already an error.
    """
    registry = _registry(schools).filter(pl.col("school_type_code").is_in(list(rules.school_types)))
    allowed = allowed_stages(rules)
    stage_zh = {code: info.name_zh for code, info in rules.stages.items()}
    frames = []
    for table, spec in TABLES.items():
        if "stage" not in spec.column_names or table not in tables:
            continue
        rows = (
            tables[table].select("school_code", "stage", *PROVENANCE_COLUMNS).drop_nulls(["school_code", "stage"])
            .join(registry, on="school_code", how="inner")
            .join(allowed, on=["school_type_code", "stage"], how="anti")
            .sort(list(PROVENANCE_COLUMNS))
            .with_columns(
                pl.col("stage").alias("value"),
                pl.col("stage").replace_strict(stage_zh, default=pl.col("stage")).alias("stage_zh"),
            )
        )
        frames.append(issues_from(locate(rows, table, "stage", headers), "stage_not_allowed", "error", table_name=table))
    return concat_issues(frames)


def unknown_county_issues(tables: Mapping[str, pl.DataFrame], headers: pl.DataFrame, regions: RegionTree) -> pl.DataFrame:
    """Rows of schools and population whose county_code is not a county of the region configuration."""
    counties = sorted(regions.county_codes())
    frames = []
    for table in ("schools", "population"):
        if table not in tables:
            continue
        rows = (
            tables[table].select("county_code", *PROVENANCE_COLUMNS).drop_nulls("county_code")
            .filter(~pl.col("county_code").is_in(counties))
            .with_columns(pl.col("county_code").alias("value"))
        )
        frames.append(issues_from(locate(rows, table, "county_code", headers), "unknown_county", "error", table_name=table))
    return concat_issues(frames)


def missing_sheet_issues(present: set[str] | frozenset[str]) -> pl.DataFrame:
    """One error per contract table that no sheet of any input file holds."""
    missing = [table for table in TABLES if table not in present]
    rows = pl.DataFrame(
        {
            "table_name": missing,
            "table": missing,
            "table_zh": [TABLES[t].sheet_zh for t in missing],
            "expected": ["、".join(TABLES[t].sheet_names) for t in missing],
        },
        schema={"table_name": pl.String, "table": pl.String, "table_zh": pl.String, "expected": pl.String},
    )
    return issues_from(rows, "missing_sheet", "error")


def missing_population_issues(schools: pl.DataFrame, population: pl.DataFrame, regions: RegionTree) -> pl.DataFrame:
    """One error per configured county that has schools but no population row."""
    by_code = regions.by_code()
    counties = (
        schools.select("county_code").drop_nulls().unique()
        .filter(pl.col("county_code").is_in(sorted(regions.county_codes())))
        .join(population.select("county_code").drop_nulls(), on="county_code", how="anti")
        .sort("county_code")
    )
    counties = counties.with_columns(
        pl.col("county_code").replace_strict({c: r.name_zh for c, r in by_code.items()}, default="").alias("county_name_zh"),
        pl.col("county_code").replace_strict({c: r.name_en for c, r in by_code.items()}, default="").alias("county_name_en"),
        pl.col("county_code").alias("value"),
    )
    return issues_from(counties, "missing_population", "error", table_name="population")


def _known_sum(column: str) -> pl.Expr:
    """Σ ``column`` of a group; null when a cell of it is null or negative (unreadable, empty or below 0: already an error)."""
    # Polars sums nulls as 0: an unreadable students cell would otherwise invent a ratio of 0 or a −100% change.
    is_known = (pl.col(column).null_count() == 0) & (pl.col(column).min() >= 0)
    return pl.when(is_known).then(pl.col(column).sum()).alias(column)


def students_change_warnings(
    enrollment: pl.DataFrame,
    previous_enrollment: pl.DataFrame | None,
    limit: float,
    headers: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One warning per school whose total students (all stages) changed by more than ``limit`` (a share) against the previous year.

    ``previous_enrollment`` holds school_code, stage, students of the previous year (may be empty or
    None: no warnings). A school with no previous students has no change ratio and gets no warning.
    The warning points at the school's first enrollment row.
    """
    if previous_enrollment is None or previous_enrollment.height == 0 or enrollment.height == 0:
        return empty_issues()
    previous = (
        previous_enrollment.select("school_code", pl.col("students").cast(pl.Int64))
        .group_by("school_code").agg(pl.col("students").sum().alias("previous"))
    )
    current = (
        enrollment.drop_nulls("school_code").sort(list(PROVENANCE_COLUMNS))
        .group_by("school_code", maintain_order=True)
        .agg(_known_sum("students"), *(pl.col(name).first() for name in PROVENANCE_COLUMNS))
    )
    rows = (
        current.join(previous, on="school_code", how="inner")
        .filter(pl.col("previous") > 0)
        .with_columns((pl.col("students") / pl.col("previous") - 1).alias("__change"))
        # Compared on differences, not the ratio: 130 / 100 − 1 is 0.30000000000000004 in floating point.
        .filter((pl.col("students") - pl.col("previous")).abs() > limit * pl.col("previous") + FLOAT_SLACK)
        .sort(list(PROVENANCE_COLUMNS))
        .with_columns(
            (pl.col("__change") * 100).round(1).alias("change_pct"),
            pl.col("students").cast(pl.String).alias("value"),
        )
    )
    located = locate(rows, "enrollment", "students", headers) if headers is not None else rows
    return issues_from(located, "students_change", "warning", table_name="enrollment", limit_pct=f"{limit * 100:g}")


def cross_table_issues(
    tables: Mapping[str, pl.DataFrame],
    headers: pl.DataFrame,
    present: set[str] | frozenset[str],
    regions: RegionTree,
    rules: Rules,
    completeness: Completeness,
    previous_enrollment: pl.DataFrame | None = None,
    allow_incomplete: bool = False,
) -> pl.DataFrame:
    """Every cross-file and cross-table issue of one year (errors and warnings), completeness included.

    ``completeness`` is ``assess_completeness`` of the same tables (over a correction's counties, for a
    correction); ``allow_incomplete`` stores the incompleteness errors as warnings (``schemas.completeness``).

    Checks that would only echo a missing table (unknown schools when no schools sheet exists, a
    county without population when no population sheet exists) are left to ``missing_sheet``.
    """
    frames = [missing_sheet_issues(present)]
    named = rules.limits.max_duplicates_named
    frames += [duplicate_key_issues(table, tables[table], headers, named) for table in TABLES if table in tables]
    frames.append(unknown_county_issues(tables, headers, regions))
    if "schools" in present:
        frames.append(unknown_school_issues(completeness.school_rows, headers))
        frames.append(stage_not_allowed_issues(tables["schools"], tables, headers, rules))
        if "population" in present:
            frames.append(missing_population_issues(tables["schools"], tables["population"], regions))
    if "enrollment" in tables:
        frames.append(
            students_change_warnings(tables["enrollment"], previous_enrollment, rules.warnings.students_change_limit, headers)
        )
    frames.append(completeness_issues(tables, headers, present, completeness, regions, rules, allow_incomplete))
    return concat_issues(frames)
