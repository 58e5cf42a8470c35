"""A check of some counties alone (`edustat validate --county`): which problems are theirs (pure).

Every rule runs over the whole input as usual (completeness over the chosen counties only, see
``schemas.completeness.scope_counties``); the problems are then kept where they lie in the chosen
counties' rows. A row's county is its school's (the registry's ``county_code``; population and
registry rows carry their own). A problem on no staged row (a sheet's layout, an unreadable file)
belongs to the counties whose rows its file holds; a file that holds none belongs to the counties
whose code or name its path names; a file that names none either is kept, since hiding a problem
nobody can place would be worse than showing one too many.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

from config import RegionTree
from schemas.spec import PROVENANCE_COLUMNS, PROVENANCE_DTYPES

ROW_KEY = list(PROVENANCE_COLUMNS)
"""A staged row's identity: its file, sheet and row."""


def row_counties(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """One row per staged input row whose county is known: source_file, source_sheet, source_row, county_code."""
    schools = tables.get("schools")
    school_county = (
        schools.select("school_code", "county_code").drop_nulls().unique("school_code", keep="first")
        if schools is not None and {"school_code", "county_code"} <= set(schools.columns)
        else pl.DataFrame(schema={"school_code": pl.String, "county_code": pl.String})
    )
    frames = []
    for frame in tables.values():
        if frame is None or not set(ROW_KEY) <= set(frame.columns):
            continue
        if "county_code" in frame.columns:
            rows = frame.select(*ROW_KEY, pl.col("county_code").cast(pl.String))
        elif "school_code" in frame.columns:
            rows = frame.select(*ROW_KEY, pl.col("school_code").cast(pl.String)).join(school_county, on="school_code", how="left").drop("school_code")
        else:
            continue
        frames.append(rows.with_columns(pl.col("source_row").cast(pl.Int64)))
    if not frames:
        return pl.DataFrame(schema={name: getattr(pl, dtype) for name, dtype in PROVENANCE_DTYPES.items()} | {"county_code": pl.String})
    return pl.concat(frames, how="vertical").drop_nulls("county_code").unique(maintain_order=True)


def _named_counties(source_file: str, regions: RegionTree, counties: frozenset[str]) -> set[str]:
    """The counties whose code or Chinese name the file's path names."""
    return {region.code for region in regions.regions if region.code in counties and (region.code in source_file or region.name_zh in source_file)}


def issues_of_counties(issues: pl.DataFrame, tables: Mapping[str, pl.DataFrame], counties: Iterable[str], regions: RegionTree) -> pl.DataFrame:
    """The problems of ``issues`` (one row per problem) that lie in the chosen ``counties``, in their order (see the module docstring)."""
    chosen = set(counties)
    all_counties = regions.county_codes()
    located = row_counties(tables)
    file_counties: dict[str, set[str]] = {}
    for source_file, county in located.select("source_file", "county_code").unique().iter_rows():
        file_counties.setdefault(source_file, set()).add(county)
    files = issues.get_column("source_file").drop_nulls().unique().to_list()
    file_in_scope = {}
    for source_file in files:
        owners = file_counties.get(source_file) or _named_counties(source_file, regions, all_counties)
        file_in_scope[source_file] = not owners or bool(owners & chosen)
    row_county = located.group_by(ROW_KEY).agg(pl.col("county_code").is_in(list(chosen)).any().alias("__row_in_scope"))
    scoped = (
        issues.with_row_index("__order")
        .join(row_county, on=ROW_KEY, how="left", nulls_equal=False)
        .with_columns(pl.col("source_file").replace_strict(file_in_scope, default=True, return_dtype=pl.Boolean).alias("__file_in_scope"))
    )
    keep = pl.when(pl.col("source_file").is_null()).then(True).when(pl.col("__row_in_scope").is_not_null()).then(pl.col("__row_in_scope")).otherwise(pl.col("__file_in_scope"))
    return scoped.filter(keep).sort("__order").select(issues.columns)
