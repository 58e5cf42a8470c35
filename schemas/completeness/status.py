"""What a year's input (or a correction's counties) lacks: the registry, the missing rows and one status row per county × table (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import polars as pl

from config import RegionTree, Rules
from schemas.school_rows import SCHOOL_ID, SchoolRows, pair_school_rows
from schemas.tables import DATA_TABLES, PROVENANCE_COLUMNS, TABLES

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
    columns = ["school_code", "school_name", "county_code", *PROVENANCE_COLUMNS]
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


def merged_status(stored: pl.DataFrame, touched: pl.DataFrame, counties: Iterable[str], regions: RegionTree) -> pl.DataFrame:
    """A correction's whole-year status: ``touched`` (the recomputed ``counties``) over the ``stored`` rows of the other configured counties."""
    recomputed = set(counties)
    others = stored.filter(pl.col("county_code").is_in(sorted(regions.county_codes() - recomputed)))
    order = {table: position for position, table in enumerate(TABLES)}
    return (
        pl.concat([others.select(list(STATUS_SCHEMA)).cast(STATUS_SCHEMA), touched.select(list(STATUS_SCHEMA))])
        .sort("county_code", pl.col("table_name").replace_strict(order, default=len(order)))
    )
