"""The correction's scope rules: touched schools and counties, when its checks are conclusive, which warnings carry over."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from edustat.correction import carried_warnings, is_conclusive, touched_rows
from schemas.issues import empty_issues
from schemas.staged import StagedTables, empty_table
from schemas.tables import TABLES


def _staged(**frames: pl.DataFrame) -> StagedTables:
    return StagedTables(**({name: empty_table(name) for name in TABLES} | frames))


def _row(table: str, **values: object) -> pl.DataFrame:
    frame = empty_table(table)
    return pl.DataFrame([{name: values.get(name) for name in frame.columns}], schema=frame.schema)


def _warning(source_file: str | None, row: int | None = 5) -> pl.DataFrame:
    """One pupil-teacher-ratio warning on row ``row`` of the 教职工 sheet of ``source_file``."""
    values = {"severity": "warning", "rule": "pupil_teacher_ratio", "source_file": source_file, "source_sheet": "教职工", "source_row": row}
    schema = empty_issues().schema
    return pl.DataFrame([{name: values.get(name) for name in schema}], schema=schema)


def test_touched_rows_name_every_school_and_county_once() -> None:
    tables = {
        "schools": pl.concat([_row("schools", school_code="S1", county_code="C1"), _row("schools", school_code="S2", county_code="C1")]),
        "enrollment": pl.concat([_row("enrollment", school_code="S1"), _row("enrollment", school_code="S3")]),
        "population": _row("population", county_code="C2"),
    }
    expected = pl.DataFrame(
        {"school_code": ["S1", "S2", "S1", "S3", None], "county_code": ["C1", "C1", None, None, "C2"]}
    )
    assert_frame_equal(touched_rows(tables), expected)


def test_conclusive_when_every_issue_is_in_a_changed_file_and_no_rechecked_row_had_a_warning() -> None:
    unchanged = _staged(staff=_row("staff", school_code="S9", source_file="other.xlsx", source_sheet="教职工", source_row=5))
    issues = _warning("changed.xlsx")
    assert is_conclusive(issues, ["changed.xlsx"], unchanged, empty_issues())
    assert is_conclusive(empty_issues(), ["changed.xlsx"], unchanged, _warning("other.xlsx", row=6))


def test_not_conclusive_when_an_issue_lies_elsewhere_or_nowhere() -> None:
    unchanged = _staged()
    assert not is_conclusive(_warning("other.xlsx"), ["changed.xlsx"], unchanged, empty_issues())
    assert not is_conclusive(_warning(None), ["changed.xlsx"], unchanged, empty_issues())


def test_not_conclusive_when_a_rechecked_stored_row_had_a_warning() -> None:
    # The stored staff row is checked again with the corrected students: its old warning may have gone.
    unchanged = _staged(staff=_row("staff", school_code="S9", source_file="other.xlsx", source_sheet="教职工", source_row=5))
    assert not is_conclusive(empty_issues(), ["changed.xlsx"], unchanged, _warning("other.xlsx", row=5))


def test_carried_warnings_are_those_outside_the_changed_files() -> None:
    stored = pl.concat([_warning("changed.xlsx"), _warning("other.xlsx"), _warning(None)])
    carried = carried_warnings(stored, ["changed.xlsx"])
    assert carried["source_file"].to_list() == ["other.xlsx", None]


def test_carried_gaps_of_rechecked_counties_and_schools_are_dropped() -> None:
    def gap(rule: str, value: str, file: str | None) -> pl.DataFrame:
        return _warning(file).with_columns(pl.lit(rule).alias("rule"), pl.lit(value).alias("value"))

    stored = pl.concat([
        gap("county_not_reported", "622921", None),      # the correction sent 622921's workbook: checked again
        gap("county_not_reported", "622922", None),      # untouched county: still missing
        gap("table_not_reported", "622921", None),
        gap("row_missing", "S1", "other.xlsx"),          # a school of a touched county: checked again
        gap("row_missing", "S2", "other.xlsx"),          # a school elsewhere: stays
    ])
    carried = carried_warnings(stored, ["changed.xlsx"], ["622921"], ["S1"])
    assert carried.select("rule", "value").rows() == [("county_not_reported", "622922"), ("row_missing", "S2")]


def test_a_touched_county_s_gap_is_conclusive_though_it_names_no_file() -> None:
    gone = _warning(None).with_columns(pl.lit("county_not_reported").alias("rule"), pl.lit("622927").alias("value"))
    assert is_conclusive(gone, ["changed.xlsx"], _staged(), empty_issues())
    elsewhere = _warning(None)  # any other issue without a file: the whole year is checked
    assert not is_conclusive(elsewhere, ["changed.xlsx"], _staged(), empty_issues())
