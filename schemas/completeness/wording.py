"""Completeness as people read it: the run's one line, a region's note and the clerk's checklist before a run."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from config import RegionTree
from schemas.completeness.status import registry
from schemas.tables import DATA_TABLES, TABLES
from schemas.words import plural

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
                parts.append(f"{sheet_zh[table]} {table} missing in {plural(reported - row['counties_reported'], 'county')}")
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
