"""Completeness (contract §3): what a year's input lacks, as issues and as a status per county and table (pure).

Four errors — a configured county with no school (``county_not_reported``), a county with schools
but no row of a school-level table (``table_not_reported``), a counted school without a row it
must have (``row_missing``), a stage row whose classes cannot hold its students
(``inconsistent_class_sizes``); the warning ``no_teachers`` is a check of config/checks.toml. ``--allow-incomplete`` turns the
first three into warnings (``relaxed``). ``county_status`` is what ``reporting_status`` is built from.

``counties`` (the scope) limits the county-level checks and the status to those counties: a
correction holds the rows of the counties it touches only, and the others are not missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import polars as pl

from config import RegionTree, Rules
from schemas.issues import concat_issues, empty_issues, issues_from
from schemas.locate import locate
from schemas.school_rows import SCHOOL_ID, SchoolRows, pair_school_rows
from schemas.tables import DATA_TABLES, TABLES

PROVENANCE = ["source_file", "source_sheet", "source_row"]

INCOMPLETE_RULES = ("county_not_reported", "table_not_reported", "row_missing")
"""The errors that ``--allow-incomplete`` stores as warnings; every other error still blocks."""

PER_SCHOOL_TABLES = ("security", "facilities")
"""Tables every counted school must have a row of."""

PER_STAGE_TABLES = ("staff", "funding")
"""Tables a school must have a row of for every stage it has students in."""

STATUS_SCHEMA = {"county_code": pl.String, "table_name": pl.String, "is_reported": pl.Boolean, "schools_missing_row": pl.Int64}
"""One row per county × table: whether the county sent any row of the table, and how many of its schools miss one."""


def scope_counties(regions: RegionTree, counties: Iterable[str] | None) -> list[str]:
    """The configured counties checked: all of them, or those of ``counties`` that the configuration holds (sorted)."""
    configured = regions.county_codes()
    return sorted(configured if counties is None else configured & set(counties))


def registry(schools: pl.DataFrame | None, counties: list[str]) -> pl.DataFrame:
    """One row per school of the registry in ``counties``: code, name, county and where its registry row is (first occurrence)."""
    columns = ["school_code", "school_name", "county_code", *PROVENANCE]
    if schools is None:
        return pl.DataFrame(schema={"school_code": pl.String, "school_name": pl.String, "county_code": pl.String,
                                    "source_file": pl.String, "source_sheet": pl.String, "source_row": pl.Int64})
    return (
        schools.select(columns).drop_nulls(["school_code", "county_code"])
        .filter(pl.col("county_code").is_in(counties))
        .unique("school_code", keep="first", maintain_order=True)
    )


def _presence(school_rows: SchoolRows, schools: pl.DataFrame) -> pl.DataFrame:
    """One row per registry school: school_code, county_code, its SCHOOL_ID and, per data table, whether the school has a row of it (a column named after the table)."""
    numbered = schools.select("school_code", "county_code").join(school_rows.ids, on="school_code", how="left", maintain_order="left")
    return numbered.with_columns(
        (pl.col(SCHOOL_ID).is_in(school_rows.rows[table].get_column(SCHOOL_ID).drop_nulls().implode()) if table in school_rows.rows else pl.lit(False)).alias(table)
        for table in DATA_TABLES
    )


def _students_by_stage(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """(school_code, stage, students) of every enrollment row with students > 0."""
    enrollment = tables.get("enrollment")
    if enrollment is None:
        return pl.DataFrame(schema={"school_code": pl.String, "stage": pl.String, "students": pl.Int64})
    return enrollment.select("school_code", "stage", "students").drop_nulls().filter(pl.col("students") > 0).unique(["school_code", "stage"], keep="first")


def allowed_stages(rules: Rules) -> pl.DataFrame:
    """One row per (school_type_code, stage) that rules.school_types allows."""
    pairs = [(code, stage) for code, school_type in rules.school_types.items() for stage in school_type.stages]
    return pl.DataFrame(pairs, schema={"school_type_code": pl.String, "stage": pl.String}, orient="row")


def _stage_keys(rows: pl.DataFrame, stages: pl.Enum) -> pl.Expr:
    """One number per (school, stage) of ``rows``: SCHOOL_ID × 8 + the stage's position (null for an unknown school or stage)."""
    return pl.col(SCHOOL_ID).cast(pl.UInt64) * 8 + pl.col("stage").cast(stages, strict=False).to_physical().cast(pl.UInt64)


def _missing_stage_rows(tables: Mapping[str, pl.DataFrame], school_rows: SchoolRows, presence: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """(school_code, table_name, stage) of every stage with students whose staff or funding row is missing, for registry schools whose type allows the stage."""
    if "enrollment" not in school_rows.rows:
        return pl.DataFrame(schema={"school_code": pl.String, "table_name": pl.String, "stage": pl.String})
    stages = pl.Enum(list(rules.stages))
    # A stage outside rules.stages is no key: no school type allows it, so it lacks nothing here (it is an error of its own).
    taught = school_rows.rows["enrollment"].filter(pl.col("students") > 0).select(_stage_keys(school_rows.rows["enrollment"], stages).alias("__key")).drop_nulls()
    frames = []
    for table in PER_STAGE_TABLES:
        paired = school_rows.rows.get(table)
        present = paired.select(_stage_keys(paired, stages).alias("__key")).drop_nulls() if paired is not None else taught.clear()
        frames.append(taught.join(present, on="__key", how="anti").with_columns(pl.lit(table).alias("table_name")))
    by_position = dict(enumerate(rules.stages))
    # Decoded and filtered after the anti-joins, on the few rows that lack one: the same rows, at a fraction of the cost.
    lacking = (
        pl.concat(frames).unique()
        .select(
            (pl.col("__key") // 8).cast(pl.UInt32).alias(SCHOOL_ID),
            "table_name",
            (pl.col("__key") % 8).replace_strict(by_position, return_dtype=pl.String).alias("stage"),
        )
        .join(presence.select(SCHOOL_ID, "school_code"), on=SCHOOL_ID, how="inner")
    )
    if "schools" in tables:
        types = tables["schools"].select("school_code", "school_type_code").unique("school_code", keep="first")
        lacking = lacking.join(types, on="school_code", how="left").join(allowed_stages(rules), on=["school_type_code", "stage"], how="semi")
    return lacking.select("school_code", "table_name", "stage")


def _missing_rows(tables: Mapping[str, pl.DataFrame], schools: pl.DataFrame, school_rows: SchoolRows, presence: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """``missing_rows`` given the pairing and ``presence`` (``_presence``) of the same tables and registry."""
    counted = presence.filter(pl.any_horizontal(list(DATA_TABLES)))
    per_school = [
        counted.filter(~pl.col(table)).select("school_code", pl.lit(table).alias("table_name"), pl.lit(None, dtype=pl.String).alias("stage"))
        for table in PER_SCHOOL_TABLES
    ]
    keys = pl.concat([*per_school, _missing_stage_rows(tables, school_rows, presence, rules)])
    return (
        schools.join(keys, on="school_code", how="inner")
        .select(*schools.columns, "table_name", "stage")
        .sort(["county_code", "table_name", "school_code", "stage"], nulls_last=False)
    )


def missing_rows(tables: Mapping[str, pl.DataFrame], schools: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """One row per row a school of ``schools`` (a registry frame) must have and lacks: the school, table_name, stage (null for per-school tables).

    A counted school (with a row in any data table) needs a security and a facilities row; a school
    with students in a stage needs that stage's staff and funding rows (a stage of 0 students needs
    neither, nor does a stage its type may not have: that row is already stage_not_allowed).
    """
    school_rows = pair_school_rows(tables)
    return _missing_rows(tables, schools, school_rows, _presence(school_rows, schools), rules)


def _status(tables: Mapping[str, pl.DataFrame], scope: list[str], presence: pl.DataFrame, missing: pl.DataFrame) -> pl.DataFrame:
    """STATUS_SCHEMA rows of ``scope`` from the presence and the missing rows of the same tables and registry."""
    by_county = presence.group_by("county_code").agg(pl.lit(True).alias("schools"), *(pl.col(table).any() for table in DATA_TABLES))
    reported = by_county.unpivot(index="county_code", variable_name="table_name", value_name="is_reported").filter(pl.col("is_reported"))
    if "population" in tables:
        populated = tables["population"].select("county_code").drop_nulls().unique()
        reported = pl.concat([reported, populated.with_columns(pl.lit("population").alias("table_name"), pl.lit(True).alias("is_reported"))])
    order = pl.DataFrame({"table_name": list(TABLES), "__order": list(range(len(TABLES)))}, schema={"table_name": pl.String, "__order": pl.Int64})
    counts = missing.group_by("county_code", "table_name").agg(pl.col("school_code").n_unique().alias("schools_missing_row"))
    return (
        pl.DataFrame({"county_code": scope}, schema={"county_code": pl.String}).join(order, how="cross")
        .join(reported, on=["county_code", "table_name"], how="left")
        .join(counts, on=["county_code", "table_name"], how="left")
        .with_columns(pl.col("is_reported").fill_null(False), pl.col("schools_missing_row").fill_null(0).cast(pl.Int64))
        .sort("county_code", "__order")
        .select(list(STATUS_SCHEMA))
    )


@dataclass(frozen=True)
class Completeness:
    """What a year's input (or a correction's counties) lacks, worked out once: ``schools`` (the scope's registry, one row
    per school), ``missing`` (``missing_rows``, one row per lacking row) and ``status`` (STATUS_SCHEMA, one row per county × table)."""

    scope: list[str]
    schools: pl.DataFrame
    missing: pl.DataFrame
    status: pl.DataFrame
    school_rows: SchoolRows


def assess_completeness(
    tables: Mapping[str, pl.DataFrame],
    regions: RegionTree,
    rules: Rules,
    counties: Iterable[str] | None = None,
    school_rows: SchoolRows | None = None,
) -> Completeness:
    """The completeness of ``tables`` over the configured counties (or those of ``counties``): registry, missing rows and status.

    ``school_rows`` is ``pair_school_rows`` of the same tables when the caller has it (a run pairs them once for every check).
    """
    scope = scope_counties(regions, counties)
    schools = registry(tables.get("schools"), scope)
    school_rows = pair_school_rows(tables) if school_rows is None else school_rows
    presence = _presence(school_rows, schools)
    missing = _missing_rows(tables, schools, school_rows, presence, rules)
    return Completeness(scope=scope, schools=schools, missing=missing, status=_status(tables, scope, presence, missing), school_rows=school_rows)


def county_status(tables: Mapping[str, pl.DataFrame], regions: RegionTree, rules: Rules, counties: Iterable[str] | None = None) -> pl.DataFrame:
    """One row per county of the scope × contract table (STATUS_SCHEMA), in county and table order."""
    return assess_completeness(tables, regions, rules, counties).status


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
    ).sort(PROVENANCE)
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
    rows = enrollment.select("school_code", "stage", *columns, *PROVENANCE).drop_nulls(columns)
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
        .sort(PROVENANCE)
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


def merged_status(stored: pl.DataFrame, touched: pl.DataFrame, counties: Iterable[str], regions: RegionTree) -> pl.DataFrame:
    """A correction's whole-year status: ``touched`` (the recomputed ``counties``) over the ``stored`` rows of the other configured counties."""
    recomputed = set(counties)
    others = stored.filter(pl.col("county_code").is_in(sorted(regions.county_codes() - recomputed)))
    order = {table: position for position, table in enumerate(TABLES)}
    return (
        pl.concat([others.select(list(STATUS_SCHEMA)).cast(STATUS_SCHEMA), touched.select(list(STATUS_SCHEMA))])
        .sort("county_code", pl.col("table_name").replace_strict(order, default=len(order)))
    )


MISSING_SHOWN = 10
"""How many missing counties or tables a completeness line names before it says how many more."""


def _named(items: list[str]) -> str:
    more = len(items) - MISSING_SHOWN
    return ", ".join(items[:MISSING_SHOWN]) + (f" … (+{more})" if more > 0 else "")


def completeness_line(status: pl.DataFrame, regions: RegionTree) -> str:
    """The year's completeness in one line: "8 of 8 counties reported", or what is missing ("7 of 8 counties reported; missing: 临夏县 622921")."""
    by_code = regions.by_code()
    schools = status.filter(pl.col("table_name") == "schools")
    missing = schools.filter(~pl.col("is_reported")).get_column("county_code").to_list()
    line = f"{schools.height - len(missing)} of {schools.height} counties reported"
    if missing:
        line += "; missing: " + _named([f"{by_code[c].name_zh} {c}" for c in missing])
    tables = status.filter(
        pl.col("table_name").is_in(list(DATA_TABLES)) & ~pl.col("is_reported") & ~pl.col("county_code").is_in(missing)
    )
    if tables.height:
        line += "; tables missing: " + _named(
            [f"{by_code[row['county_code']].name_zh} {row['county_code']} {TABLES[row['table_name']].sheet_zh}" for row in tables.iter_rows(named=True)]
        )
    rows = int(status.filter(~pl.col("county_code").is_in(missing) & pl.col("is_reported")).get_column("schools_missing_row").sum())
    if rows:
        line += f"; {rows} school row(s) missing"
    return line


def region_completeness(status: pl.DataFrame) -> pl.DataFrame:
    """One row per region of reporting_status rows (region_code, table_name, counties_expected, counties_reported,
    schools_missing_row, is_complete): region_code, is_complete, and for an incomplete region a note saying what is missing."""
    sheet_zh = {t: s.sheet_zh for t, s in TABLES.items()}
    rows = []
    for (region_code,), group in status.sort("region_code", "table_name").group_by("region_code", maintain_order=True):
        by_table = {row["table_name"]: row for row in group.iter_rows(named=True)}
        schools = by_table.get("schools")
        parts = []
        if schools is not None and schools["counties_expected"] == 1 and schools["counties_reported"] == 0:
            parts.append("not reported")
        elif schools is not None and schools["counties_reported"] < schools["counties_expected"]:
            parts.append(f"{schools['counties_reported']} of {schools['counties_expected']} counties reported")
        reported = schools["counties_reported"] if schools is not None else 0
        for table in DATA_TABLES:
            row = by_table.get(table)
            if row is not None and row["counties_reported"] < reported:
                parts.append(f"{sheet_zh[table]} {table} missing in {reported - row['counties_reported']} county(ies)")
        missing_rows = sum(int(row["schools_missing_row"] or 0) for row in group.iter_rows(named=True))
        if missing_rows:
            parts.append(f"{missing_rows} missing school rows")
        is_complete = bool(group.get_column("is_complete").all())
        rows.append({"region_code": region_code, "is_complete": is_complete, "completeness": None if is_complete else "; ".join(parts) or "incomplete"})
    return pl.DataFrame(rows, schema={"region_code": pl.String, "is_complete": pl.Boolean, "completeness": pl.String})


def reporting_checklist(tables: Mapping[str, pl.DataFrame], status: pl.DataFrame, regions: RegionTree) -> pl.DataFrame:
    """The clerk's checklist before a run: one row per configured county (of ``status``), its schools, and per table the rows it sent or ✗ when none.

    ``status`` is ``county_status`` of the same tables; the last column counts the schools that miss a row.
    """
    by_code = regions.by_code()
    counties = status.select("county_code").unique(maintain_order=True)
    schools = registry(tables.get("schools"), counties.get_column("county_code").to_list())
    frame = counties.with_columns(
        pl.col("county_code").replace_strict({c: r.name_zh for c, r in by_code.items()}, default="").alias("county 县"),
    ).join(schools.group_by("county_code").agg(pl.len().cast(pl.Int64).alias("schools 学校")), on="county_code", how="left", maintain_order="left")
    frame = frame.with_columns(pl.col("schools 学校").fill_null(0))
    for table in (*DATA_TABLES, "population"):
        rows = tables.get(table)
        if rows is None:
            counts = pl.DataFrame(schema={"county_code": pl.String, "__rows": pl.UInt32})
        elif table == "population":
            counts = rows.select("county_code").drop_nulls().group_by("county_code").agg(pl.len().alias("__rows"))
        else:
            counts = rows.select("school_code").join(schools.select("school_code", "county_code"), on="school_code", how="inner").group_by("county_code").agg(pl.len().alias("__rows"))
        frame = frame.join(counts, on="county_code", how="left", maintain_order="left").with_columns(
            pl.when(pl.col("__rows").fill_null(0) > 0).then(pl.concat_str(pl.lit("✓ "), pl.col("__rows").cast(pl.String))).otherwise(pl.lit("✗")).alias(f"{TABLES[table].sheet_zh} {table}")
        ).drop("__rows")
    # Rows missing from a table the county did not send at all are that table's ✗, not counted again.
    missing = status.group_by("county_code").agg(pl.col("schools_missing_row").filter(pl.col("is_reported")).sum().alias("missing rows 缺行"))
    return frame.join(missing, on="county_code", how="left", maintain_order="left")
