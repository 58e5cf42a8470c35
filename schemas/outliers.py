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
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import polars as pl

from config import RegionTree, Rules
from schemas.issues import concat_issues, empty_issues, issues_from
from schemas.keys import first_per_key
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


def _student_keys(by_stage: bool) -> list[str]:
    return ["school_code", "stage"] if by_stage else ["school_code"]


def _students(enrollment: pl.DataFrame | None, by_stage: bool) -> pl.LazyFrame:
    """Students per school × stage (or per school), null where a cell of them is empty or negative (a plan)."""
    keys = _student_keys(by_stage)
    if enrollment is None or enrollment.height == 0:
        return pl.LazyFrame(schema={**{k: pl.String for k in keys}, "students": pl.Float64})
    known = (pl.col("students").null_count() == 0) & (pl.col("students").min() >= 0)
    return enrollment.lazy().drop_nulls(keys).group_by(keys).agg(pl.when(known).then(pl.col("students").sum()).cast(pl.Float64).alias("students"))


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


def _compared(table: str, tables: Mapping[str, pl.DataFrame], previous: Mapping[str, pl.DataFrame]) -> bool:
    return table in tables and table in previous and tables[table].height > 0 and previous[table].height > 0


def _flag(kind: str, column: str) -> str:
    """The column saying, row by row, whether ``column`` is flagged by comparison ``kind`` ("cell" or "measure")."""
    return f"__{kind}_{column}"


def _measure(column: str) -> pl.Expr:
    return pl.col(column) / pl.col("students")


def _previous_measure(column: str) -> pl.Expr:
    return pl.col(f"{column}__previous") / pl.col("previous_students")


@dataclass(frozen=True)
class _Previous:
    """One table against its previous year: the columns compared cell by cell, those compared per student, the plan of
    its rows where at least one is flagged (only these few rows are collected), and the flags (``_flag(kind, column)``)."""

    table: str
    cells: list[str]
    measures: list[str]
    plan: pl.LazyFrame
    flags: list[pl.Expr]


def _previous_plans(
    tables: Mapping[str, pl.DataFrame], previous: Mapping[str, pl.DataFrame], rules: Rules, students: Mapping[tuple[str, bool], pl.LazyFrame]
) -> dict[str, _Previous]:
    """Per table compared with the previous year: each row joined once with its previous-year row (the first of its key)
    and, for the per-student measures, with both years' students; cells and measures judged in the same pass."""
    outliers = rules.outliers
    factor = outliers.previous_factor
    plans = {}
    for table in dict.fromkeys([*COMPARED_TABLES, *outliers.peer_columns]):
        if not _compared(table, tables, previous):
            continue
        both = [c for c in tables[table].columns if c in previous[table].columns]
        cells = [c for c in numeric_columns()[table] if (table, c) not in LEFT_TO_STUDENTS_CHANGE and c in both] if table in COMPARED_TABLES else []
        measures = [c for c in outliers.peer_columns.get(table, ()) if c in both]
        if not cells and not measures:
            continue
        keys = _keys(table)
        columns = list(dict.fromkeys([*cells, *measures]))
        before = first_per_key(previous[table], keys).select(*keys, *(pl.col(c).cast(pl.Float64).alias(f"{c}__previous") for c in columns))
        # The row's number stands for its provenance (two text columns) until the few flagged rows are collected.
        joined = tables[table].lazy().select(*keys, *(pl.col(c).cast(pl.Float64) for c in columns)).with_row_index("__row").join(before, on=keys, how="inner")
        flags = [_beyond(pl.col(c), pl.col(f"{c}__previous"), factor, outliers.floor(c)).fill_null(False).alias(_flag("cell", c)) for c in cells]
        if measures:
            by_stage = "stage" in TABLES[table].column_names
            joined = joined.join(students[("both", by_stage)], on=keys, how="left")
            enough = (pl.col("students") >= outliers.min_students) & (pl.col("previous_students") >= outliers.min_students)
            flags += [
                (enough & (_measure(c) > 0) & (_previous_measure(c) > 0)
                 & ((_measure(c) > _previous_measure(c) * factor) | (_measure(c) * factor < _previous_measure(c))))
                .fill_null(False).alias(_flag("measure", c))
                for c in measures
            ]  # fmt: skip
        # Filtered on the flags, not on columns of them: the joined rows then stream through without being kept.
        plans[table] = _Previous(table, cells, measures, joined.filter(pl.any_horizontal(flags)), flags)
    return plans


def _provenance(rows: pl.DataFrame, frame: pl.DataFrame) -> pl.DataFrame:
    """``rows`` (few, numbered ``__row`` in ``frame``) with their provenance columns from ``frame``."""
    return rows.hstack(frame.select(PROVENANCE_COLUMNS).gather(rows.get_column("__row")))


def _long(table: str, wrong: pl.DataFrame, kind: str, columns: list[str], values: Callable[[str], list[pl.Expr | str]]) -> list[pl.DataFrame]:
    """The flagged rows of one table (``wrong``, few), one frame per flagged column: keys, provenance and ``values(column)``."""
    keys = _keys(table)
    frames = []
    for column in columns:
        rows = wrong.filter(pl.col(_flag(kind, column))).select(*keys, *PROVENANCE_COLUMNS, *values(column))
        if rows.height:
            rows = rows.with_columns(pl.lit(column).alias("column"), pl.lit(table).alias("table_name"))
            frames.append(rows if "stage" in keys else rows.with_columns(pl.lit(NO_STAGE).alias("stage")))
    return frames


def _previous_issues(plans: dict[str, _Previous], wrong: dict[str, pl.DataFrame], headers: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """The previous-year warnings of the collected flagged rows: every flagged cell, then every flagged per-student
    measure whose cell was not flagged itself."""
    factor = rules.outliers.previous_factor
    frames = [
        frame
        for table in COMPARED_TABLES if table in plans
        for frame in _long(table, wrong[table], "cell", plans[table].cells, lambda c: [pl.col(c).alias("value"), pl.col(f"{c}__previous").alias("previous")])
    ]  # fmt: skip
    if not frames:
        flagged = pl.DataFrame(schema={"table_name": pl.String, "school_code": pl.String, "stage": pl.String, "column": pl.String})
        return _previous_measure_issues(plans, wrong, headers, rules, flagged)
    flagged = pl.concat(frames, how="diagonal").with_columns((pl.col("previous") / factor).alias("low"), (pl.col("previous") * factor).alias("high"))
    flagged = _texts(flagged, previous_text="previous", low_text="low", high_text="high").with_columns(pl.lit(format_number(factor)).alias("factor"))
    cell_issues = _cell_issues(flagged, "outlier_previous_year", headers, rules)
    per_student = _previous_measure_issues(plans, wrong, headers, rules, flagged)
    return concat_issues([cell_issues, per_student])


def _previous_measure_issues(
    plans: dict[str, _Previous], wrong: dict[str, pl.DataFrame], headers: pl.DataFrame, rules: Rules, flagged_cells: pl.DataFrame
) -> pl.DataFrame:
    """Every per-student measure beyond the factor of last year's, where its cell was not flagged itself: one warning each."""
    factor = rules.outliers.previous_factor
    frames = [
        frame
        for table in rules.outliers.peer_columns if table in plans
        for frame in _long(
            table, wrong[table], "measure", plans[table].measures,
            lambda c: ["students", "previous_students", pl.col(c).alias("value"), _measure(c).alias("measure"), _previous_measure(c).alias("previous_measure")],
        )
    ]  # fmt: skip
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


def _beyond(value: pl.Expr, previous: pl.Expr, factor: float, floor: float) -> pl.Expr:
    """True where ``value`` is beyond ``previous`` × factor or below it ÷ factor, both above 0 and not small (``floor``)."""
    larger, smaller = pl.max_horizontal(value, previous), pl.min_horizontal(value, previous)
    is_compared = (smaller > 0) & (larger >= floor) & ((value - previous).abs() >= floor)
    return is_compared & ((value > previous * factor) | (value * factor < previous))


PEER_LEVELS = ("county", "prefecture")
"""The peer groups, nearest first: a school's county, or its prefecture when the county has too few."""


@dataclass(frozen=True)
class _Registry:
    """One row per registry school of a configured county (``rows``: school_code, county_code, prefecture_code, school_type_code,
    ownership, and ``__county_peers`` / ``__prefecture_peers``: its (region, school type, ownership) as a number), and how
    many such numbers each level can take (``sizes``)."""

    rows: pl.DataFrame
    sizes: dict[str, int]


def _registry(schools: pl.DataFrame, regions: RegionTree) -> _Registry:
    """The registry's schools of configured counties, each with its peer groups as numbers."""
    by_code = regions.by_code()
    prefecture = {code: by_code[code].parent_code or code for code in regions.county_codes()}
    registry = (
        first_per_key(schools.select("school_code", "county_code", "school_type_code", "ownership").drop_nulls(), ["school_code"])
        .filter(pl.col("county_code").is_in(list(prefecture)))
        .with_columns(pl.col("county_code").replace_strict(prefecture, return_dtype=pl.String).alias("prefecture_code"))
        .collect()
    )
    # Grouping and joining on one integer instead of five text columns: a national year has millions of measures.
    numbers = {name: _numbered(registry.get_column(name)) for name in ("county_code", "prefecture_code", "school_type_code", "ownership")}
    peers = registry.with_columns(
        _packed([(f"{level}_code", numbers[f"{level}_code"]), ("school_type_code", numbers["school_type_code"]), ("ownership", numbers["ownership"])])
        .alias(f"__{level}_peers")
        for level in PEER_LEVELS
    )
    sizes = {level: len(numbers[f"{level}_code"]) * len(numbers["school_type_code"]) * len(numbers["ownership"]) for level in PEER_LEVELS}
    return _Registry(peers, sizes)


def _numbered(values: pl.Series) -> dict[str, int]:
    """Each distinct value of ``values`` → its position among them (sorted, so the same values give the same numbers)."""
    return {value: position for position, value in enumerate(values.drop_nulls().unique().sort().to_list())}


def _packed(parts: list[tuple[str, dict[str, int]]]) -> pl.Expr:
    """The columns of ``parts`` (each with its numbering) as one number: distinct combinations give distinct numbers."""
    packed: pl.Expr = pl.lit(0, dtype=pl.UInt64)
    for column, numbers in parts:
        # No numbers when the registry holds no school of a configured county: then there is no row to number either.
        number = pl.col(column).replace_strict(numbers, return_dtype=pl.UInt64) if numbers else pl.lit(None, dtype=pl.UInt64)
        packed = packed * len(numbers) + number
    return packed


def _fits(*sizes: int) -> bool:
    """Whether numbers packed from parts of these sizes stay within 63 bits."""
    return math.prod(max(size, 1) for size in sizes) < 2**63


@dataclass(frozen=True)
class _PeerMeasures:
    """One table's per-student measures: ``wide`` the plan of its rows with at least ``min_students`` students, joined with
    the school's peers; made long by ``long``, keyed by ``__county_key`` / ``__prefecture_key`` (column, stage and the school's
    peers as one number) or, when those would not fit 63 bits, by ``group`` of text columns."""

    table: str
    columns: list[str]
    wide: pl.LazyFrame
    stages: dict[str, int]
    group: dict[str, list[str]]

    @property
    def numbered(self) -> bool:
        return self.group["county"] == ["__county_key"]

    def long(self, wide: pl.DataFrame) -> pl.LazyFrame:
        """The measures of the collected ``wide`` rows: a row per (row of the table, measured column) with a value of at least 0."""
        parts = []
        for position, column in enumerate(self.columns):
            kept = [pl.col("__row"), pl.col("students"), pl.col(column).alias("value"), pl.lit(position, dtype=pl.UInt64).alias("__column")]
            if self.numbered:
                kept += [(pl.col(f"__{level}_stage") * len(self.columns) + position).alias(f"__{level}_key") for level in PEER_LEVELS]
            else:
                kept += [pl.col(name) for name in ("stage", "county_code", "prefecture_code", "school_type_code", "ownership")]
            parts.append(wide.lazy().select(kept))
        return pl.concat(parts).filter(pl.col("value") >= 0).with_columns((pl.col("value") / pl.col("students")).alias("measure"))


def _measured_schools(students: pl.LazyFrame, registry: _Registry, rules: Rules) -> pl.LazyFrame:
    """Per school × stage (or per school, as ``students`` is) with at least ``min_students`` students and a registry row of
    a configured county: its students and its peers (a plan; the same for every table of that grain)."""
    return students.filter(pl.col("students") >= rules.outliers.min_students).join(registry.rows.lazy(), on="school_code", how="inner")


def _peer_measures(table: str, tables: Mapping[str, pl.DataFrame], registry: _Registry, schools: pl.LazyFrame, rules: Rules) -> _PeerMeasures:
    """The measures of one table, made long only after its schools' students and peers (``_measured_schools``) are joined to its rows."""
    outliers = rules.outliers
    frame = tables[table]
    columns = [c for c in outliers.peer_columns[table] if c in frame.columns]
    by_stage = "stage" in TABLES[table].column_names
    keys = _keys(table)
    wide = (
        frame.lazy().select(*keys, *(pl.col(c).cast(pl.Float64) for c in columns)).with_row_index("__row")
        .join(schools, on=keys, how="inner")
        .drop("school_code")
    )
    if not by_stage:
        wide = wide.with_columns(pl.lit(NO_STAGE).alias("stage"))
    stages = _numbered(frame.get_column("stage")) if by_stage else {NO_STAGE: 0}
    numbered = all(_fits(registry.sizes[level], len(stages), len(columns)) for level in PEER_LEVELS)
    if numbered:
        # (peers, stage) as one number per row, before the rows are repeated once per column.
        wide = wide.with_columns(
            (pl.col(f"__{level}_peers") * len(stages) + pl.col("stage").replace_strict(stages, return_dtype=pl.UInt64)).alias(f"__{level}_stage")
            for level in PEER_LEVELS
        )
    group = {
        level: [f"__{level}_key"] if numbered else ["__column", "stage", f"{level}_code", "school_type_code", "ownership"] for level in PEER_LEVELS
    }
    return _PeerMeasures(table, columns, wide, stages, group)


def _groups(measures: pl.LazyFrame, group: list[str], level: str) -> pl.LazyFrame:
    """Per peer group of ``level``: schools above 0, zeros, median and MAD of log(measure) (a plan)."""
    positive = measures.filter(pl.col("measure") > 0).select(*group, pl.col("measure").log().alias("__log"))
    # The median computed once per group (by the window), then read back rather than computed again.
    centred = positive.with_columns(pl.col("__log").median().over(group).alias("__median"))
    stats = centred.group_by(group).agg(
        pl.len().alias("count"), pl.col("__median").first().alias("median"), (pl.col("__log") - pl.col("__median")).abs().median().alias("mad")
    )
    zeros = measures.filter(pl.col("measure") == 0).group_by(group).agg(pl.len().alias("zeros"))
    return stats.join(zeros, on=group, how="left").with_columns(pl.col("zeros").fill_null(0)).rename(
        {"count": f"count_{level}", "median": f"median_{level}", "mad": f"mad_{level}", "zeros": f"zeros_{level}"}
    )


def _peer_flagged(measured: _PeerMeasures, measures: pl.DataFrame, county: pl.DataFrame, rules: Rules) -> pl.LazyFrame:
    """The measures far from their peers' (a plan over the collected ``measures`` and their ``county`` groups, a row per
    flagged measure in column then row order): the county's group when it has enough schools, else the prefecture's."""
    outliers = rules.outliers
    is_county = (pl.col("count_county") >= outliers.peer_min_group).fill_null(False)
    positive = measures.lazy().filter(pl.col("measure") > 0).join(county.lazy(), on=measured.group["county"], how="left")
    # A prefecture's groups are read only where the county's is too small (about a third of the measures): computed, and
    # joined, for those alone.
    elsewhere = positive.filter(is_county.not_())
    needed = elsewhere.select(measured.group["prefecture"]).unique()
    region = _groups(measures.lazy().join(needed, on=measured.group["prefecture"], how="semi"), measured.group["prefecture"], "prefecture")
    judged = [
        _beyond_peers(positive.filter(is_county), "county", rules),
        _beyond_peers(elsewhere.join(region, on=measured.group["prefecture"], how="left"), "prefecture", rules),
    ]
    return pl.concat(judged).sort("__column", "__row")


def _beyond_peers(rows: pl.LazyFrame, level: str, rules: Rules) -> pl.LazyFrame:
    """The ``rows`` whose measure is far from their group of ``level`` (count, zeros, median and MAD of ``_groups``)."""
    outliers = rules.outliers
    count, zeros, median = pl.col(f"count_{level}"), pl.col(f"zeros_{level}"), pl.col(f"median_{level}")
    bound = pl.max_horizontal(outliers.peer_score * MAD_SCALE * pl.col(f"mad_{level}"), pl.lit(math.log(outliers.peer_factor)))
    return rows.filter(
        (count >= outliers.peer_min_group)
        & (zeros / (zeros + count) <= outliers.peer_max_zero_share)
        & ((pl.col("measure").log() - median).abs() > bound)
    ).select(
        "__row", "__column", "students", "value", "measure", count.alias("count"), pl.lit(level == "county").alias("is_county"),
        median.exp().alias("median_measure"), (median - bound).exp().alias("low"), (median + bound).exp().alias("high"),
    )


def _peer_rows(measured: _PeerMeasures, flagged: pl.DataFrame, tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """The flagged measures of one table (few) with their column, stage and provenance."""
    frame = tables[measured.table]
    by_stage = "stage" in TABLES[measured.table].column_names
    places = frame.select(*(["stage"] if by_stage else []), *PROVENANCE_COLUMNS).with_row_index("__row")
    rows = flagged.join(places, on="__row", how="left")
    if not by_stage:
        rows = rows.with_columns(pl.lit(NO_STAGE).alias("stage"))
    names = dict(enumerate(measured.columns))
    return rows.with_columns(pl.col("__column").replace_strict(names, return_dtype=pl.String).alias("column"), pl.lit(measured.table).alias("table_name"))


def _peer_issues(frames: list[pl.DataFrame], headers: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """The peer warnings of the flagged measures."""
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


def _students_once(tables: Mapping[str, pl.DataFrame], previous: Mapping[str, pl.DataFrame] | None) -> dict[tuple[str, bool], pl.LazyFrame]:
    """Students per school × stage and per school (by_stage False) of this year ("now"), and with the previous year's beside
    them where both years have the key ("both": students, previous_students); computed once for every comparison."""
    years = {"now": tables, "previous": previous or {}}
    plans = {(year, by_stage): _students(frames.get("enrollment"), by_stage) for year, frames in years.items() for by_stage in (True, False)}
    collected = dict(zip(plans, pl.collect_all(list(plans.values())), strict=True))
    both = {
        ("both", by_stage): collected[("now", by_stage)].lazy().join(
            collected[("previous", by_stage)].lazy().rename({"students": "previous_students"}), on=_student_keys(by_stage), how="inner"
        )
        for by_stage in (True, False)
    }
    return {("now", by_stage): collected[("now", by_stage)].lazy() for by_stage in (True, False)} | dict(
        zip(both, (frame.lazy() for frame in pl.collect_all(list(both.values()))), strict=True)
    )


def _outliers(
    tables: Mapping[str, pl.DataFrame], previous: Mapping[str, pl.DataFrame] | None, headers: pl.DataFrame, regions: RegionTree | None, rules: Rules
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The previous-year warnings (when ``previous`` is given) and the peer warnings (when ``regions`` is), computed together.

    Each comparison is a plan over the year's tables, joined once and judged in one pass, giving back only the flagged
    rows (a national year has millions of cells and about a thousand outliers); the plans run together, and only the
    flagged rows are worded."""
    students = _students_once(tables, previous)
    before = _previous_plans(tables, previous, rules, students) if previous else {}
    schools = tables.get("schools")
    measured: list[_PeerMeasures] = []
    if regions is not None and schools is not None and schools.height:
        registry = _registry(schools, regions)
        peer_tables = [table for table in rules.outliers.peer_columns if table in tables and tables[table].height]
        grains = list(dict.fromkeys("stage" in TABLES[table].column_names for table in peer_tables))
        # Shared by the tables of a grain (staff and funding are by stage): collected once.
        shared = pl.collect_all([_measured_schools(students[("now", by_stage)], registry, rules) for by_stage in grains])
        measured_schools = dict(zip(grains, shared, strict=True))
        measured = [
            _peer_measures(table, tables, registry, measured_schools["stage" in TABLES[table].column_names].lazy(), rules)
            for table in peer_tables
        ]
    # Collected step by step: a plan read by several others (the wide rows, the long measures) would be run once for each.
    collected = pl.collect_all([*(plan.plan for plan in before.values()), *(m.wide for m in measured)])
    wrong = {table: _provenance(rows, tables[table]).with_columns(before[table].flags) for table, rows in zip(before, collected[: len(before)], strict=True)}
    measures = pl.collect_all([m.long(wide) for m, wide in zip(measured, collected[len(before) :], strict=True)]) if measured else []
    county = pl.collect_all([_groups(frame.lazy(), m.group["county"], "county") for m, frame in zip(measured, measures, strict=True)]) if measured else []
    flagged = (
        pl.collect_all([_peer_flagged(m, frame, groups, rules) for m, frame, groups in zip(measured, measures, county, strict=True)]) if measured else []
    )
    previous_issues = _previous_issues(before, wrong, headers, rules) if previous else empty_issues()
    peer_frames = [_peer_rows(m, frame, tables) for m, frame in zip(measured, flagged, strict=True) if frame.height]
    return previous_issues, _peer_issues(peer_frames, headers, rules)


def previous_year_outliers(
    tables: Mapping[str, pl.DataFrame], previous: Mapping[str, pl.DataFrame] | None, headers: pl.DataFrame, rules: Rules
) -> pl.DataFrame:
    """Every numeric cell beyond the configured factor of the same row's previous-year value, then every per-student
    measure beyond it where the cell itself was not: one warning each (none when the previous year is not loaded)."""
    if not previous:
        return empty_issues()
    return _outliers(tables, previous, headers, None, rules)[0]


def peer_outliers(tables: Mapping[str, pl.DataFrame], headers: pl.DataFrame, regions: RegionTree, rules: Rules) -> pl.DataFrame:
    """Every per-student measure far from its peers' (same county — or prefecture — school type, stage and ownership): one warning each."""
    return _outliers(tables, None, headers, regions, rules)[1]


def outlier_issues(
    tables: Mapping[str, pl.DataFrame], previous: Mapping[str, pl.DataFrame] | None, headers: pl.DataFrame, regions: RegionTree, rules: Rules
) -> pl.DataFrame:
    """Every outlier warning of a year: against the previous year (when loaded) and against the peers."""
    return concat_issues(_outliers(tables, previous, headers, regions, rules))
