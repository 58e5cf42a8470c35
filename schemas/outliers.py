"""Outliers (contract §3 "Outliers"): values far from the school's own previous year or from its peers; warnings only (pure).

Three warnings, each at the cell of the value, naming the value, the expected range and what it was
compared with (``config/rules.toml [outliers]``):

- ``outlier_previous_year`` — a numeric column against the same row of the previous year (school, or
  school × stage): beyond previous × factor or below previous / factor. Both years above 0 and the
  numbers not small (the floor). Students are left to ``students_change`` (±30 %, contract §3).
- ``outlier_previous_year_per_student`` — a per-student measure (column / students of the row's stage,
  or of the school) against the previous year's, by the same factor, where the column alone was not.
- ``outlier_peers`` — a per-student measure against the schools of the same county, school type,
  stage and ownership (the prefecture's when the county has too few; ownership because the public
  budget of a 民办 school is by nature a fraction of a 公办 one's): on the log scale, beyond ``peer_score`` robust
  deviations (1.4826 × MAD) of the median and beyond ``peer_factor`` of it. Zeros are never flagged,
  and a zero-heavy group is not compared.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import polars as pl

from config.models import RegionTree, Rules
from schemas.issues import concat_issues, empty_issues, issues_from
from schemas.locate import locate
from schemas.tables import PROVENANCE_COLUMNS, TABLES, numeric_columns

OUTLIER_RULES = ("outlier_previous_year", "outlier_previous_year_per_student", "outlier_peers")
"""Rule codes of the outlier warnings."""

COMPARED_TABLES = ("enrollment", "staff", "security", "facilities", "funding")
"""School-level tables whose numeric columns are compared with the previous year."""

LEFT_TO_STUDENTS_CHANGE = {("enrollment", "students")}
"""Columns another warning already compares with the previous year."""

MAD_SCALE = 1.4826
"""MAD × this estimates the standard deviation of a normal sample."""

NO_STAGE = ""
"""The stage of a row of a table without stages (the school as a whole)."""


def _keys(table: str) -> list[str]:
    return ["school_code", "stage"] if "stage" in TABLES[table].column_names else ["school_code"]


def _students(enrollment: pl.DataFrame | None, by_stage: bool) -> pl.DataFrame:
    """Students per school × stage (or per school), null where a cell of them is empty or negative."""
    keys = ["school_code", "stage"] if by_stage else ["school_code"]
    if enrollment is None or enrollment.height == 0:
        return pl.DataFrame(schema={**{k: pl.String for k in keys}, "students": pl.Float64})
    known = (pl.col("students").null_count() == 0) & (pl.col("students").min() >= 0)
    return enrollment.drop_nulls(keys).group_by(keys).agg(pl.when(known).then(pl.col("students").sum()).cast(pl.Float64).alias("students"))


def format_number(value: float | None) -> str:
    """A number for a message: whole numbers whole, others to three significant digits, never in exponent form."""
    if value is None or not math.isfinite(value):
        return ""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    digits = max(0, 2 - math.floor(math.log10(abs(value))))
    return f"{value:.{digits}f}".rstrip("0").rstrip(".")


def _as_written(table: str, column: str, value: float) -> str:
    """The value as the other messages show it: an integer column as an integer, a number as Polars writes a float."""
    return str(int(value)) if TABLES[table].column(column).kind == "integer" else str(float(value))


def _texts(frame: pl.DataFrame, **numbers: str) -> pl.DataFrame:
    """``frame`` with each column of ``numbers`` (name → source column) formatted for messages (few rows: the flagged ones)."""
    return frame.with_columns(
        pl.Series(name, [format_number(v) for v in frame.get_column(source).to_list()], dtype=pl.String) for name, source in numbers.items()
    )


def _cell_issues(flagged: pl.DataFrame, rule: str, headers: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """One warning per flagged row, at the cell of its column, the value shown as written."""
    frames = []
    for (table, column), rows in flagged.group_by(["table_name", "column"], maintain_order=True):
        spec = TABLES[str(table)].column(str(column))
        rows = rows.with_columns(
            pl.Series("value_text", [_as_written(str(table), str(column), v) for v in rows.get_column("value").to_list()], dtype=pl.String),
            pl.col("stage").replace_strict({c: i.name_zh for c, i in rules.stages.items()}, default="").alias("stage_zh"),
            pl.col("stage").replace_strict({c: f"{c} " for c in rules.stages}, default="").alias("stage_en"),
        )
        located = locate(rows.sort(list(PROVENANCE_COLUMNS)), str(table), str(column), headers)
        frames.append(
            issues_from(
                located, rule, "warning", table_name=str(table), value=pl.col("value_text"), column=str(column), column_zh=spec.header_zh,
                unit_zh=spec.unit_zh or "",
            )
        )
    return concat_issues(frames)


def previous_year_outliers(
    tables: Mapping[str, pl.DataFrame], previous: Mapping[str, pl.DataFrame] | None, headers: pl.DataFrame, rules: Rules
) -> pl.DataFrame:
    """Every numeric cell beyond the configured factor of the same row's previous-year value, then every per-student
    measure beyond it where the cell itself was not: one warning each (none when the previous year is not loaded)."""
    if not previous:
        return empty_issues()
    outliers = rules.outliers
    factor = outliers.previous_factor
    frames = []
    for table in COMPARED_TABLES:
        if table not in tables or table not in previous or tables[table].height == 0 or previous[table].height == 0:
            continue
        columns = [
            c for c in numeric_columns()[table]
            if (table, c) not in LEFT_TO_STUDENTS_CHANGE and c in previous[table].columns and c in tables[table].columns
        ]
        # Joined wide and judged column by column: only the few flagged rows are made long (a national year has
        # millions of cells; one row per cell would cost seconds).
        keys = _keys(table)
        before = previous[table].select(*keys, *(pl.col(c).cast(pl.Float64).alias(f"{c}__previous") for c in columns)).unique(keys, keep="first")
        joined = tables[table].select(*keys, *PROVENANCE_COLUMNS, *(pl.col(c).cast(pl.Float64) for c in columns)).join(before, on=keys, how="inner")
        flags = {c: _beyond(pl.col(c), pl.col(f"{c}__previous"), factor, outliers.floor(c)).fill_null(False) for c in columns}
        wrong = joined.filter(pl.any_horizontal(flags.values())) if flags else joined.clear()
        if wrong.height == 0:
            continue
        for column, flag in flags.items():
            rows = wrong.filter(flag).select(*keys, *PROVENANCE_COLUMNS, pl.col(column).alias("value"), pl.col(f"{column}__previous").alias("previous"))
            if rows.height:
                rows = rows.with_columns(pl.lit(column).alias("column"), pl.lit(table).alias("table_name"))
                frames.append(rows if "stage" in keys else rows.with_columns(pl.lit(NO_STAGE).alias("stage")))
    if not frames:
        flagged = pl.DataFrame(schema={"table_name": pl.String, "school_code": pl.String, "stage": pl.String, "column": pl.String})
        return _previous_measure_outliers(tables, previous, headers, rules, flagged)
    flagged = pl.concat(frames, how="diagonal").with_columns((pl.col("previous") / factor).alias("low"), (pl.col("previous") * factor).alias("high"))
    flagged = _texts(flagged, previous_text="previous", low_text="low", high_text="high").with_columns(pl.lit(format_number(factor)).alias("factor"))
    cells = _cell_issues(flagged, "outlier_previous_year", headers, rules)
    per_student = _previous_measure_outliers(tables, previous, headers, rules, flagged)
    return concat_issues([cells, per_student])


def _beyond(value: pl.Expr, previous: pl.Expr, factor: float, floor: float) -> pl.Expr:
    """True where ``value`` is beyond ``previous`` × factor or below it ÷ factor, both above 0 and not small (``floor``)."""
    larger, smaller = pl.max_horizontal(value, previous), pl.min_horizontal(value, previous)
    is_compared = (smaller > 0) & (larger >= floor) & ((value - previous).abs() >= floor)
    return is_compared & ((value > previous * factor) | (value * factor < previous))


def _previous_measure_outliers(
    tables: Mapping[str, pl.DataFrame],
    previous: Mapping[str, pl.DataFrame],
    headers: pl.DataFrame,
    rules: Rules,
    flagged_cells: pl.DataFrame,
) -> pl.DataFrame:
    """Every per-student measure beyond the factor of last year's, where its cell was not flagged itself: one warning each."""
    outliers = rules.outliers
    factor = outliers.previous_factor
    frames = []
    for table, measured in outliers.peer_columns.items():
        if table not in tables or table not in previous or tables[table].height == 0 or previous[table].height == 0:
            continue
        columns = [c for c in measured if c in tables[table].columns and c in previous[table].columns]
        by_stage = "stage" in TABLES[table].column_names
        keys = _keys(table)
        now = tables[table].select(*keys, *PROVENANCE_COLUMNS, *(pl.col(c).cast(pl.Float64) for c in columns)).join(
            _students(tables.get("enrollment"), by_stage), on=keys, how="inner"
        )
        before = (
            previous[table].select(*keys, *(pl.col(c).cast(pl.Float64).alias(f"{c}__previous") for c in columns)).unique(keys, keep="first")
            .join(_students(previous.get("enrollment"), by_stage).rename({"students": "previous_students"}), on=keys, how="inner")
        )
        joined = now.join(before, on=keys, how="inner").filter(
            (pl.col("students") >= outliers.min_students) & (pl.col("previous_students") >= outliers.min_students)
        )
        measure = {c: pl.col(c) / pl.col("students") for c in columns}
        previous_measure = {c: pl.col(f"{c}__previous") / pl.col("previous_students") for c in columns}
        flags = {
            c: ((measure[c] > 0) & (previous_measure[c] > 0) & ((measure[c] > previous_measure[c] * factor) | (measure[c] * factor < previous_measure[c])))
            .fill_null(False)
            for c in columns
        }
        wrong = joined.filter(pl.any_horizontal(flags.values())) if flags else joined.clear()
        for column, flag in flags.items():
            rows = wrong.filter(flag).select(
                *keys, *PROVENANCE_COLUMNS, "students", "previous_students", pl.col(column).alias("value"),
                measure[column].alias("measure"), previous_measure[column].alias("previous_measure"),
            )
            if rows.height:
                rows = rows.with_columns(pl.lit(column).alias("column"), pl.lit(table).alias("table_name"))
                frames.append(rows if by_stage else rows.with_columns(pl.lit(NO_STAGE).alias("stage")))
    if not frames:
        return empty_issues()
    on = ["table_name", "school_code", "stage", "column"]
    flagged = (
        pl.concat(frames, how="diagonal")
        .join(flagged_cells.select(on), on=on, how="anti")
        .with_columns((pl.col("previous_measure") / factor).alias("low"), (pl.col("previous_measure") * factor).alias("high"))
    )
    if flagged.height == 0:
        return empty_issues()
    flagged = _texts(
        flagged, measure_text="measure", previous_text="previous_measure", students_text="students", previous_students_text="previous_students",
        low_text="low", high_text="high",
    ).with_columns(pl.lit(format_number(factor)).alias("factor"))
    return _cell_issues(flagged, "outlier_previous_year_per_student", headers, rules)


def _groups(measures: pl.DataFrame, level: str) -> pl.DataFrame:
    """Per group of (column, stage, ``level`` region, school type, ownership): schools above 0, zeros, median and MAD of log(measure)."""
    group = ["column", "stage", level, "school_type_code", "ownership"]
    positive = measures.filter(pl.col("measure") > 0).with_columns(pl.col("measure").log().alias("__log"))
    centred = positive.with_columns((pl.col("__log") - pl.col("__log").median().over(group)).abs().alias("__deviation"))
    stats = centred.group_by(group).agg(
        pl.len().alias("count"), pl.col("__log").median().alias("median"), pl.col("__deviation").median().alias("mad")
    )
    zeros = measures.filter(pl.col("measure") == 0).group_by(group).agg(pl.len().alias("zeros"))
    return stats.join(zeros, on=group, how="left").with_columns(pl.col("zeros").fill_null(0)).rename(
        {"count": f"count_{level}", "median": f"median_{level}", "mad": f"mad_{level}", "zeros": f"zeros_{level}"}
    )


def _registry(schools: pl.DataFrame, regions: RegionTree) -> pl.DataFrame:
    """One row per registry school of a configured county: school_code, county_code, prefecture_code, school_type_code, ownership."""
    by_code = regions.by_code()
    prefecture = {code: by_code[code].parent_code or code for code in regions.county_codes()}
    return (
        schools.select("school_code", "county_code", "school_type_code", "ownership").drop_nulls().unique("school_code", keep="first")
        .filter(pl.col("county_code").is_in(list(prefecture)))
        .with_columns(pl.col("county_code").replace_strict(prefecture, return_dtype=pl.String).alias("prefecture_code"))
    )


def _table_peer_outliers(table: str, tables: Mapping[str, pl.DataFrame], registry: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """The flagged per-student measures of one table (a row per flagged cell, with its provenance); the measures are made
    long only after the students and the school's group are joined to the table's rows (a national year has millions)."""
    outliers = rules.outliers
    frame = tables[table]
    columns = [c for c in outliers.peer_columns[table] if c in frame.columns]
    by_stage = "stage" in TABLES[table].column_names
    keys = _keys(table)
    wide = (
        frame.select(*keys, *(pl.col(c).cast(pl.Float64) for c in columns)).with_row_index("__row")
        .join(_students(tables.get("enrollment"), by_stage), on=keys, how="inner")
        .filter(pl.col("students") >= outliers.min_students)
        .join(registry, on="school_code", how="inner")
        .drop("school_code")
    )
    if not by_stage:
        wide = wide.with_columns(pl.lit(NO_STAGE).alias("stage"))
    index = ["__row", "stage", "students", "county_code", "prefecture_code", "school_type_code", "ownership"]
    measures = (
        wide.unpivot(index=index, on=columns, variable_name="column", value_name="value")
        .filter(pl.col("value") >= 0)
        .with_columns((pl.col("value") / pl.col("students")).alias("measure"))
    )
    group = ["column", "stage", "school_type_code", "ownership"]
    county, region = _groups(measures, "county_code"), _groups(measures, "prefecture_code")
    is_county = pl.col("count_county_code") >= outliers.peer_min_group
    pick = [
        pl.when(is_county).then(pl.col(f"{name}_county_code")).otherwise(pl.col(f"{name}_prefecture_code")).alias(name)
        for name in ("count", "median", "mad", "zeros")
    ]
    bound = pl.max_horizontal(outliers.peer_score * MAD_SCALE * pl.col("mad"), pl.lit(math.log(outliers.peer_factor)))
    flagged = (
        measures.filter(pl.col("measure") > 0)
        .join(county, on=[*group, "county_code"], how="left")
        .join(region, on=[*group, "prefecture_code"], how="left")
        .with_columns(is_county.fill_null(False).alias("is_county"), *pick)
        .filter(
            (pl.col("count") >= outliers.peer_min_group)
            & (pl.col("zeros") / (pl.col("zeros") + pl.col("count")) <= outliers.peer_max_zero_share)
            & ((pl.col("measure").log() - pl.col("median")).abs() > bound)
        )
        .with_columns(
            pl.col("median").exp().alias("median_measure"), (pl.col("median") - bound).exp().alias("low"), (pl.col("median") + bound).exp().alias("high"),
        )
    )
    if flagged.height == 0:
        return flagged
    places = frame.select(*PROVENANCE_COLUMNS).with_row_index("__row")
    return flagged.join(places, on="__row", how="left").with_columns(pl.lit(table).alias("table_name"))


def peer_outliers(tables: Mapping[str, pl.DataFrame], headers: pl.DataFrame, regions: RegionTree, rules: Rules) -> pl.DataFrame:
    """Every per-student measure far from its peers' (same county — or prefecture — school type, stage and ownership): one warning each."""
    schools = tables.get("schools")
    if schools is None or schools.height == 0:
        return empty_issues()
    registry = _registry(schools, regions)
    frames = [
        _table_peer_outliers(table, tables, registry, rules)
        for table in rules.outliers.peer_columns
        if table in tables and tables[table].height
    ]
    frames = [frame for frame in frames if frame.height]
    if not frames:
        return empty_issues()
    compared = pl.concat(frames, how="diagonal")
    flagged = _texts(compared, measure_text="measure", students_text="students", median_text="median_measure", low_text="low", high_text="high")
    flagged = flagged.with_columns(
        pl.col("count").cast(pl.String).alias("count_text"),
        pl.when(pl.col("is_county")).then(pl.lit("同县")).otherwise(pl.lit("同市（州）")).alias("peers_zh"),
        pl.when(pl.col("is_county")).then(pl.lit("county")).otherwise(pl.lit("prefecture")).alias("peers_en"),
    )
    return _cell_issues(flagged, "outlier_peers", headers, rules)


def outlier_issues(
    tables: Mapping[str, pl.DataFrame], previous: Mapping[str, pl.DataFrame] | None, headers: pl.DataFrame, regions: RegionTree, rules: Rules
) -> pl.DataFrame:
    """Every outlier warning of a year: against the previous year (when loaded) and against the peers."""
    return concat_issues([previous_year_outliers(tables, previous, headers, rules), peer_outliers(tables, headers, regions, rules)])
