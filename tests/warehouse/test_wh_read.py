"""warehouse/read.py: year values for growth, last year's enrollment, history, run comparisons, loaded years."""

from __future__ import annotations

import polars as pl
import sqlalchemy as sa
from polars.testing import assert_frame_equal
from wh_data import new_run, staged_tables, values_frame

from schemas.issues import empty_issues, issue_frame
from warehouse.load import load_year
from warehouse.query import QueryLimits, run_query
from warehouse.read import history, previous_enrollment, published_values, run_diff, runs, year_values
from warehouse.rejection import record_rejection

V1 = values_frame([("622901", "ratio_a", 90.0, 45.0, 50.0), ("622901", "sum_b", 10.0, 10.0, None), ("622900", "sum_b", 10.0, 10.0, None)])
V2 = values_frame([("622901", "ratio_a", 80.0, 40.0, 50.0), ("622901", "sum_b", 10.0, 10.0, None), ("622921", "sum_b", 3.0, 3.0, None)])
V3 = values_frame([("622901", "ratio_a", 85.0, 17.0, 20.0), ("622901", "sum_b", 10.0, 10.0, None), ("622921", "sum_b", 3.0, 3.0, None)])


def _load(engine: sa.Engine, year: int, values: pl.DataFrame, reason: str = "test", students: dict[str, int] | None = None) -> int:
    run_id = new_run(engine, year, reason=reason)
    staged = staged_tables([("6229010001", "一小"), ("6229010002", "二小")], students)
    load_year(engine, run_id, year, values, staged, empty_issues(), 5)
    return run_id


def test_year_values_of_a_loaded_and_an_unloaded_year(warehouse: sa.Engine) -> None:
    assert year_values(warehouse, 2019) is None
    _load(warehouse, 2019, V1)
    got = year_values(warehouse, 2019)
    assert got is not None
    expected = pl.DataFrame(
        {
            "region_code": ["622900", "622901", "622901"],
            "region_level": ["prefecture", "county", "county"],
            "indicator_code": ["sum_b", "ratio_a", "sum_b"],
            "value": [10.0, 90.0, 10.0],
            "numerator": [10.0, 45.0, 10.0],
            "denominator": [None, 50.0, None],
        }
    )
    assert_frame_equal(got, expected)


def test_previous_enrollment_is_that_of_the_year_before(warehouse: sa.Engine) -> None:
    assert previous_enrollment(warehouse, 2020).height == 0
    assert previous_enrollment(warehouse, 2020).columns == ["school_code", "stage", "students"]
    _load(warehouse, 2019, V1, students={"6229010001": 120, "6229010002": 80})
    _load(warehouse, 2020, V1, students={"6229010001": 999, "6229010002": 999})
    expected = pl.DataFrame({"school_code": ["6229010001", "6229010002"], "stage": ["primary", "primary"], "students": [120, 80]})
    assert_frame_equal(previous_enrollment(warehouse, 2020), expected)


def test_history_lists_every_version_with_its_previous_value(warehouse: sa.Engine) -> None:
    run_1 = _load(warehouse, 2020, V1, reason="first delivery")
    run_2 = _load(warehouse, 2020, V2, reason="county 622901 corrected")
    run_3 = _load(warehouse, 2020, V3, reason="second correction")
    got = history(warehouse, 2020, indicator_code="ratio_a")
    assert got.select("region_code", "run_id", "reason", "is_current", "value", "previous_value").rows() == [
        ("622901", run_1, "first delivery", False, 90.0, None),
        ("622901", run_2, "county 622901 corrected", False, 80.0, 90.0),
        ("622901", run_3, "second correction", True, 85.0, 80.0),
    ]
    assert set(got.get_column("status")) == {"succeeded"}
    assert set(got.get_column("trigger")) == {"manual"}
    assert got.schema["started_at"] == pl.Datetime("us", "UTC")
    # V1 writes its 3 keys; V2 changes 622901 ratio_a, adds 622921 sum_b and removes 622900 sum_b (3 rows);
    # V3 changes 622901 ratio_a only (1 row): 7 rows, the unchanged values keep their first row.
    assert history(warehouse, 2020).height == 7
    assert history(warehouse, 2020, region_code="622921").select("run_id", "value").rows() == [(run_2, 3.0)]
    assert history(warehouse, 2020, region_code="622900").select("run_id", "value", "is_removed", "is_current").rows() == [
        (run_1, 10.0, False, False),
        (run_2, None, True, False),
    ]


def test_published_values_are_the_version_a_run_left(warehouse: sa.Engine) -> None:
    run_1 = _load(warehouse, 2020, V1)
    run_2 = _load(warehouse, 2020, V2)
    _load(warehouse, 2020, V3)
    rows = published_values(warehouse, 2020, run_2).select("region_code", "indicator_code", "value", "run_id").rows()
    # V2 as it stood: its changed and added keys, version 1's unchanged one; the removed key is gone.
    assert rows == [("622901", "ratio_a", 80.0, run_2), ("622901", "sum_b", 10.0, run_1), ("622921", "sum_b", 3.0, run_2)]
    assert published_values(warehouse, 2020, run_1).select("region_code", "indicator_code", "value").rows() == V1.select(
        "region_code", "indicator_code", "value"
    ).sort("region_code", "indicator_code").rows()
    rejected = new_run(warehouse, 2020)
    record_rejection(warehouse, rejected, 2020, issue_frame([{"severity": "error", "rule": "bad", "message_zh": "错", "message_en": "bad"}]), "x")
    assert published_values(warehouse, 2020, rejected).height == 0


def test_run_diff_classifies_every_key(warehouse: sa.Engine) -> None:
    run_1 = _load(warehouse, 2020, V1)
    run_2 = _load(warehouse, 2020, V2)
    got = run_diff(warehouse, run_1, run_2, 2020)
    assert got.select("region_code", "indicator_code", "value_a", "value_b", "change").rows() == [
        ("622900", "sum_b", 10.0, None, "removed"),
        ("622901", "ratio_a", 90.0, 80.0, "changed"),
        ("622901", "sum_b", 10.0, 10.0, "unchanged"),
        ("622921", "sum_b", None, 3.0, "added"),
    ]


ALLOW = QueryLimits(is_superuser_allowed=True)


def test_loaded_years_and_runs(warehouse: sa.Engine, warehouse_url: str) -> None:
    # Read as an analyst does, through `edustat query` (the test's PostgreSQL login is a superuser: allowed explicitly).
    def loaded_years() -> list[int]:
        return [row[0] for row in run_query(warehouse_url, "SELECT DISTINCT year FROM indicator_current ORDER BY year", ALLOW).frame.rows()]

    assert loaded_years() == []
    _load(warehouse, 2021, V1)
    _load(warehouse, 2019, V1)
    rejected = new_run(warehouse, 2022)
    record_rejection(warehouse, rejected, 2022, issue_frame([{"severity": "error", "rule": "bad", "message_zh": "错", "message_en": "bad"}]), "x")
    assert loaded_years() == [2019, 2021]
    log = runs(warehouse)
    assert log.select("year", "status").rows() == [(2021, "succeeded"), (2019, "succeeded"), (2022, "rejected")]
    assert runs(warehouse, 2022).height == 1
    run_issues = run_query(warehouse_url, f"SELECT severity, rule FROM validation_issue WHERE run_id = {rejected} ORDER BY issue_id", ALLOW).frame
    assert run_issues.rows() == [("error", "bad")]
