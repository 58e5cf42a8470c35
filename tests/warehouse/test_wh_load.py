"""warehouse/load.py: versions of a year's values, the school tables, issues, rejections and growth refreshes."""

from __future__ import annotations

import polars as pl
import pytest
import sqlalchemy as sa
from polars.testing import assert_frame_equal
from wh_data import new_run, staged_tables, values_frame

from schemas.issues import empty_issues, issue_frame
from warehouse.errors import WarehouseError
from warehouse.growth import refresh_growth
from warehouse.load import YearLoad, load_year
from warehouse.lock import ensure_lock_rows, lock_year
from warehouse.read import current_values
from warehouse.rejection import record_rejection
from warehouse.runs import get_run
from warehouse.schema import SCHOOL_TABLES, indicator_value, validation_issue
from warehouse.versions import LoadCounts

# Version 1 of 2020. ratio_a = 100 × numerator / denominator; 0/0 gives NULL.
V1 = values_frame(
    [
        ("622901", "ratio_a", 90.0, 45.0, 50.0),  # 100 × 45/50 = 90
        ("622921", "ratio_a", None, 0.0, 0.0),  # denominator 0 → NULL
        ("622900", "ratio_a", 90.0, 45.0, 50.0),  # (45 + 0)/(50 + 0) = 90
        ("622901", "sum_b", 10.0, 10.0, None),
        ("622921", "sum_b", None, None, None),
        ("622900", "sum_b", 15.0, 15.0, None),
    ]
)
# Version 2, key by key against version 1:
V2 = values_frame(
    [
        ("622901", "ratio_a", 90.0, 45.0, 50.0),  # identical → unchanged
        ("622921", "ratio_a", 90.0, 9.0, 10.0),  # NULL → 90 (9/10) → changed
        ("622900", "ratio_a", 90.0, 54.0, 60.0),  # value 90 both times, (45+9)/(50+10): numerator and denominator differ → changed
        ("622901", "sum_b", 10.0, 10.0, None),  # identical → unchanged
        ("622921", "sum_b", None, None, None),  # NULL and NULL → unchanged
        # 622900 sum_b absent → removed
        ("620000", "ratio_a", 90.0, 54.0, 60.0),  # new key → added
    ]
)
# So: added 1, changed 2, unchanged 3, removed 1.

def _load(engine: sa.Engine, year: int, values: pl.DataFrame, schools: list[tuple[str, str]] | None = None, **kwargs) -> tuple[int, LoadCounts]:
    run_id = new_run(engine, year)
    staged = staged_tables(schools or [("6229010001", "一小")])
    issues = kwargs.pop("issues", empty_issues())
    counts = load_year(engine, run_id, year, values, staged, issues, 5, **kwargs)
    return run_id, counts


def _rows(engine: sa.Engine, statement: sa.Select) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(statement).all()]


def test_first_load_adds_every_value(warehouse: sa.Engine) -> None:
    run_id, counts = _load(warehouse, 2020, V1)
    assert counts == LoadCounts(added=6, changed=0, unchanged=0, removed=0)
    run = get_run(warehouse, run_id)
    assert run is not None
    assert (run["status"], run["values_added"], run["values_changed"], run["values_unchanged"]) == ("succeeded", 6, 0, 0)
    assert run["finished_at"] is not None and run["finished_at"].utcoffset().total_seconds() == 0


def test_second_version_writes_only_what_changed_and_counts_by_key(warehouse: sa.Engine) -> None:
    run_1, _ = _load(warehouse, 2020, V1)
    run_2, counts = _load(warehouse, 2020, V2)
    assert counts == LoadCounts(added=1, changed=2, unchanged=3, removed=1)

    v = indicator_value.c
    by_run = _rows(
        warehouse,
        sa.select(v.run_id, v.is_current, v.is_removed, sa.func.count())
        .group_by(v.run_id, v.is_current, v.is_removed)
        .order_by(v.run_id, v.is_current, v.is_removed),
    )
    assert by_run == [
        (run_1, False, False, 3),  # the 2 changed keys and the removed one: kept, no longer current
        (run_1, True, False, 3),  # the 3 unchanged keys keep version 1's row
        (run_2, False, True, 1),  # the removed key (622900 sum_b): marked removed, never current
        (run_2, True, False, 3),  # the added key and the 2 changed ones
    ]
    duplicates = _rows(
        warehouse,
        sa.select(v.year, v.region_code, v.indicator_code)
        .where(v.is_current == sa.true())
        .group_by(v.year, v.region_code, v.indicator_code)
        .having(sa.func.count() > 1),
    )
    assert duplicates == []
    run = get_run(warehouse, run_2)
    assert run is not None
    assert (run["values_added"], run["values_changed"], run["values_unchanged"], run["values_removed"]) == (1, 2, 3, 1)


def test_view_shows_current_values_with_names(warehouse: sa.Engine) -> None:
    _load(warehouse, 2020, V1)
    run_2, _ = _load(warehouse, 2020, V2)
    current = current_values(warehouse, 2020)
    # Province first, then prefecture, then counties; catalogue order within a region.
    assert current.select("region_code", "indicator_code").rows() == [
        ("620000", "ratio_a"),
        ("622900", "ratio_a"),
        ("622901", "ratio_a"),
        ("622901", "sum_b"),
        ("622921", "ratio_a"),
        ("622921", "sum_b"),
    ]
    row = current.filter(pl.col("region_code") == "622921", pl.col("indicator_code") == "ratio_a").row(0, named=True)
    assert row["region_name_zh"] == "临夏县"
    assert row["region_level"] == "county"
    assert row["indicator_name_zh"] == "ratio_a中文"
    assert row["indicator_name_en"] == "ratio_a in English"
    assert (row["unit"], row["unit_zh"], row["section"]) == ("percent", "%", "demo")
    assert (row["value"], row["numerator"], row["denominator"], row["run_id"]) == (90.0, 9.0, 10.0, run_2)
    counties = current_values(warehouse, 2020, level="county")
    assert set(counties.get_column("region_level")) == {"county"}
    assert counties.height == 4


def test_rejection_stores_issues_and_changes_no_value(warehouse: sa.Engine) -> None:
    run_1, _ = _load(warehouse, 2020, V1, schools=[("6229010001", "一小")])
    before = current_values(warehouse, 2020)
    run_2 = new_run(warehouse, 2020)
    issues = issue_frame(
        [
            {"severity": "error", "rule": "missing_value", "source_file": "a.xlsx", "source_row": 3, "cell": "C3", "message_zh": "缺", "message_en": "missing"},
            {"severity": "error", "rule": "bad_code", "source_file": "a.xlsx", "source_row": 4, "cell": "A4", "message_zh": "错", "message_en": "bad"},
            {"severity": "warning", "rule": "big_change", "source_file": "a.xlsx", "source_row": 5, "message_zh": "变", "message_en": "change"},
        ]
    )
    record_rejection(warehouse, run_2, 2020, issues, "2 errors block the load")
    assert_frame_equal(current_values(warehouse, 2020), before)
    assert _rows(warehouse, sa.select(sa.func.count()).select_from(indicator_value)) == [(6,)]
    schools = SCHOOL_TABLES["schools"]
    assert _rows(warehouse, sa.select(schools.c.school_code, schools.c.run_id)) == [("6229010001", run_1)]
    stored = _rows(
        warehouse,
        sa.select(validation_issue.c.year, validation_issue.c.severity, validation_issue.c.rule, validation_issue.c.source_row, validation_issue.c.cell)
        .where(validation_issue.c.run_id == run_2)
        .order_by(validation_issue.c.issue_id),
    )
    assert stored == [(2020, "error", "missing_value", 3, "C3"), (2020, "error", "bad_code", 4, "A4"), (2020, "warning", "big_change", 5, None)]
    run = get_run(warehouse, run_2)
    assert run is not None
    assert (run["status"], run["error_count"], run["warning_count"], run["message"]) == ("rejected", 2, 1, "2 errors block the load")


def test_partial_unique_index_allows_one_current_row_per_key(warehouse: sa.Engine) -> None:
    run_id, _ = _load(warehouse, 2020, V1)
    row = {"year": 2020, "region_code": "622901", "indicator_code": "ratio_a", "value": 1.0, "run_id": run_id}
    # A second non-current row of a key is history, and allowed.
    with warehouse.begin() as conn:
        conn.execute(sa.insert(indicator_value).values(**row, is_current=False))
    with pytest.raises(sa.exc.IntegrityError), warehouse.begin() as conn:
        conn.execute(sa.insert(indicator_value).values(**row, is_current=True))


def test_school_tables_hold_the_current_version_only(warehouse: sa.Engine) -> None:
    _load(warehouse, 2020, V1, schools=[("6229010001", "一小"), ("6229010002", "二小")])
    _load(warehouse, 2021, V1, schools=[("6229010009", "九小")])
    run_2, _ = _load(warehouse, 2020, V2, schools=[("6229010001", "第一小学"), ("6229010003", "三小")])

    schools = SCHOOL_TABLES["schools"]
    stored = _rows(warehouse, sa.select(schools.c.year, schools.c.school_code, schools.c.school_name, schools.c.run_id, schools.c.source_row).order_by(schools.c.year, schools.c.school_code))
    assert stored == [
        (2020, "6229010001", "第一小学", run_2, 2),
        (2020, "6229010003", "三小", run_2, 3),
        (2021, "6229010009", "九小", stored[2][3], 2),  # another year is untouched
    ]
    enrollment = SCHOOL_TABLES["enrollment"]
    assert _rows(warehouse, sa.select(enrollment.c.school_code, enrollment.c.stage, enrollment.c.students).where(enrollment.c.year == 2020).order_by(enrollment.c.school_code)) == [
        ("6229010001", "primary", 100),
        ("6229010003", "primary", 100),
    ]
    population = SCHOOL_TABLES["population"]
    assert _rows(warehouse, sa.select(population.c.year, population.c.age_3_5).order_by(population.c.year)) == [(2020, 1000), (2021, 1000)]


def test_warnings_are_stored_with_the_successful_run(warehouse: sa.Engine) -> None:
    issues = issue_frame([{"severity": "warning", "rule": "big_change", "table_name": "enrollment", "value": "250", "message_zh": "变", "message_en": "change"}])
    run_id, _ = _load(warehouse, 2020, V1, issues=issues)
    assert _rows(warehouse, sa.select(validation_issue.c.rule, validation_issue.c.value).where(validation_issue.c.run_id == run_id)) == [("big_change", "250")]
    run = get_run(warehouse, run_id)
    assert run is not None
    assert (run["warning_count"], run["error_count"]) == (1, 0)


def test_values_come_back_bit_for_bit(warehouse: sa.Engine) -> None:
    awkward = values_frame(
        [
            ("622901", "ratio_a", 100 * 1 / 3, 1.0, 3.0),
            ("622921", "ratio_a", 0.1 + 0.2, 1e-300, 1.7976931348623157e308),
            ("622900", "ratio_a", -2.77, 5e-324, 123456789.123456789),
        ]
    )
    _load(warehouse, 2020, awkward)
    stored = current_values(warehouse, 2020).select("region_code", "indicator_code", "value", "numerator", "denominator")
    assert_frame_equal(stored, awkward, check_row_order=False, check_exact=True)
    # The same inputs again give the same stored values: every key unchanged.
    _, counts = _load(warehouse, 2020, awkward)
    assert counts == LoadCounts(added=0, changed=0, unchanged=3, removed=0)


def test_bad_values_are_refused_before_anything_is_written(warehouse: sa.Engine) -> None:
    run_id = new_run(warehouse, 2020)
    staged = staged_tables([("6229010001", "一小")])
    nan = values_frame([("622901", "ratio_a", float("nan"), 0.0, 0.0)])
    with pytest.raises(WarehouseError, match="NaN or infinite"):
        load_year(warehouse, run_id, 2020, nan, staged, empty_issues(), 5)
    unknown = values_frame([("999999", "ratio_a", 1.0, 1.0, 1.0)])
    with pytest.raises(WarehouseError, match="999999"):
        load_year(warehouse, run_id, 2020, unknown, staged, empty_issues(), 5)
    with pytest.raises(WarehouseError, match="is a run of 2020, it cannot load 2021"):
        load_year(warehouse, run_id, 2021, V1, staged, empty_issues(), 5)
    twice = pl.concat([V1, V1.head(1)])
    with pytest.raises(WarehouseError, match="share a"):
        load_year(warehouse, run_id, 2020, twice, staged, empty_issues(), 5)
    assert _rows(warehouse, sa.select(sa.func.count()).select_from(indicator_value)) == [(0,)]
    assert _rows(warehouse, sa.select(sa.func.count()).select_from(SCHOOL_TABLES["schools"])) == [(0,)]


def test_a_failure_mid_load_rolls_everything_back(warehouse: sa.Engine) -> None:
    run_1, _ = _load(warehouse, 2020, V1)
    run_2 = new_run(warehouse, 2020)
    # Two rows with the same school key break the schools primary key after the values were replaced.
    staged = staged_tables([("6229010001", "一小"), ("6229010001", "一小again")])
    with pytest.raises(sa.exc.IntegrityError):
        load_year(warehouse, run_2, 2020, V2, staged, empty_issues(), 5)
    current = current_values(warehouse, 2020)
    assert set(current.get_column("run_id")) == {run_1}
    assert current.height == 6
    run = get_run(warehouse, run_2)
    assert run is not None and run["status"] == "running"


GROWTH_2021 = values_frame([("622901", "sum_b_growth", 20.0, 12.0, 10.0), ("622900", "sum_b_growth", None, None, None)])


def test_refresh_growth_replaces_only_growth_rows(warehouse: sa.Engine) -> None:
    values_2021 = pl.concat([V1, GROWTH_2021])
    run_2021, _ = _load(warehouse, 2021, values_2021)
    rerun_2020 = new_run(warehouse, 2020)
    refreshed = values_frame([("622901", "sum_b_growth", 25.0, 12.5, 10.0), ("622900", "sum_b_growth", None, None, None)])
    ensure_lock_rows(warehouse, (2021,))
    with warehouse.begin() as conn:
        lock_year(conn, 2021, 5)
        counts = refresh_growth(conn, rerun_2020, 2021, refreshed)
    # 622901: 20 → 25 changed; 622900: NULL → NULL unchanged.
    assert counts == LoadCounts(added=0, changed=1, unchanged=1, removed=0)
    current = current_values(warehouse, 2021)
    growth = current.filter(pl.col("indicator_code") == "sum_b_growth")
    # Only the changed value is rewritten: 622901 under the rerun, 622900 keeps its row.
    assert dict(growth.select("region_code", "run_id").rows()) == {"622901": rerun_2020, "622900": run_2021}
    assert growth.filter(pl.col("region_code") == "622901").get_column("value").to_list() == [25.0]
    others = current.filter(pl.col("indicator_code") != "sum_b_growth")
    assert set(others.get_column("run_id")) == {run_2021}
    assert others.height == 6


def test_refresh_growth_refuses_other_indicators_and_unloaded_years(warehouse: sa.Engine) -> None:
    _load(warehouse, 2021, pl.concat([V1, GROWTH_2021]))
    run_id = new_run(warehouse, 2020)
    with pytest.raises(WarehouseError, match="not growth indicators"), warehouse.begin() as conn:
        refresh_growth(conn, run_id, 2021, V1)
    with pytest.raises(WarehouseError, match="no current values"), warehouse.begin() as conn:
        refresh_growth(conn, run_id, 2022, GROWTH_2021)


def test_load_year_refreshes_next_year_growth_in_the_same_transaction(warehouse: sa.Engine) -> None:
    _load(warehouse, 2021, pl.concat([V1, GROWTH_2021]))
    refreshed = values_frame([("622901", "sum_b_growth", 25.0, 12.5, 10.0), ("622900", "sum_b_growth", 1.0, 2.0, 2.0)])
    run_2020, counts = _load(warehouse, 2020, V1, next_year_growth=refreshed)
    assert counts == LoadCounts(added=6, changed=0, unchanged=0, removed=0)
    growth = current_values(warehouse, 2021).filter(pl.col("indicator_code") == "sum_b_growth").sort("region_code")
    assert growth.select("region_code", "value", "run_id").rows() == [("622900", 1.0, run_2020), ("622901", 25.0, run_2020)]
    run = get_run(warehouse, run_2020)
    assert run is not None
    # 622901 20 → 25 and 622900 NULL → 1: both changed.
    assert run["message"] == "also refreshed the growth indicators of 2021: 2 changed, 0 unchanged, 0 added, 0 removed"


def _pieces(schools: list[tuple[str, str]]) -> dict[str, pl.DataFrame]:
    """The school-level rows of ``schools`` as one staged piece (table name → frame)."""
    return dict(staged_tables(schools).items())


def test_a_load_stages_pieces_and_commits_them_with_the_values(warehouse: sa.Engine) -> None:
    run_id = new_run(warehouse, 2020)
    with YearLoad(warehouse, run_id, 2020, 5) as load:
        assert load.stage(_pieces([("6229010001", "一小")]))
        assert load.stage({"schools": _pieces([("6229010002", "二小")])["schools"]})
        counts = load.finish(V1, empty_issues())
    assert counts == LoadCounts(added=6, changed=0, unchanged=0)
    schools = SCHOOL_TABLES["schools"]
    assert _rows(warehouse, sa.select(schools.c.school_code, schools.c.run_id).order_by(schools.c.school_code)) == [
        ("6229010001", run_id),
        ("6229010002", run_id),
    ]
    assert set(current_values(warehouse, 2020).get_column("run_id")) == {run_id}


def test_a_load_left_unfinished_leaves_the_previous_version(warehouse: sa.Engine) -> None:
    run_1, _ = _load(warehouse, 2020, V1, schools=[("6229010001", "一小")])
    run_2 = new_run(warehouse, 2020)
    with YearLoad(warehouse, run_2, 2020, 5) as load:
        load.stage(_pieces([("6229010009", "九小")]))
        # A rejected year: the block ends without finish.
    schools = SCHOOL_TABLES["schools"]
    assert _rows(warehouse, sa.select(schools.c.school_code, schools.c.run_id)) == [("6229010001", run_1)]
    assert set(current_values(warehouse, 2020).get_column("run_id")) == {run_1}
    run = get_run(warehouse, run_2)
    assert run is not None and run["status"] == "running"


def test_a_refused_piece_stops_staging_and_the_finish_raises_its_error(warehouse: sa.Engine) -> None:
    run_1, _ = _load(warehouse, 2020, V1, schools=[("6229010001", "一小")])
    run_2 = new_run(warehouse, 2020)
    with pytest.raises(sa.exc.IntegrityError), YearLoad(warehouse, run_2, 2020, 5) as load:
        assert load.stage(_pieces([("6229010002", "二小")]))
        assert not load.stage(_pieces([("6229010002", "二小 again")]))  # the same key twice
        assert not load.stage(_pieces([("6229010003", "三小")]))  # nothing more is written once a piece failed
        load.finish(V2, empty_issues())
    schools = SCHOOL_TABLES["schools"]
    assert _rows(warehouse, sa.select(schools.c.school_code, schools.c.run_id)) == [("6229010001", run_1)]
    assert set(current_values(warehouse, 2020).get_column("run_id")) == {run_1}
