"""warehouse/bulk.py: frames conformed to a table, then COPY on PostgreSQL or chunked executemany on SQLite."""

from __future__ import annotations

import polars as pl
import pytest
import sqlalchemy as sa
from polars.testing import assert_frame_equal
from wh_data import new_run

import warehouse.bulk as bulk
from warehouse.engine import is_sqlite
from warehouse.errors import WarehouseError
from warehouse.schema import indicator_contribution

ROWS = pl.DataFrame(
    {
        "county_code": ["622901"] * 5,
        "school_code": ["a", "b", None, "d", "e"],
        "indicator_code": ["ratio_a"] * 5,
        "numerator": [1.0, float("nan"), None, 4.0, 5.0],
        "denominator": [10, 20, 30, 40, 50],  # integers: cast to the table's double
        "ignored": ["x"] * 5,
    }
)


def test_conform_casts_orders_fixes_and_drops() -> None:
    got = bulk.conform(indicator_contribution, ROWS, fixed={"year": 2020, "run_id": 7})
    assert got.columns == ["year", "run_id", "county_code", "school_code", "indicator_code", "numerator", "denominator"]
    assert got.schema["denominator"] == pl.Float64
    # NaN is stored as NULL, the same on every dialect.
    assert got.get_column("numerator").to_list() == [1.0, None, None, 4.0, 5.0]
    assert got.get_column("year").to_list() == [2020] * 5


def test_conform_names_missing_columns() -> None:
    with pytest.raises(WarehouseError, match="lacks column\\(s\\) numerator"):
        bulk.conform(indicator_contribution, ROWS.drop("numerator"), fixed={"year": 2020, "run_id": 7})


def test_insert_frame_uses_the_bulk_path_of_each_dialect(warehouse: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    run_id = new_run(warehouse, 2020)
    if is_sqlite(warehouse):
        monkeypatch.setattr(bulk, "CHUNK_ROWS", 2)  # 5 rows → chunks of 2, 2 and 1
    else:
        monkeypatch.setattr(bulk, "_executemany", lambda *a: pytest.fail("PostgreSQL must load through COPY"))
    with warehouse.begin() as conn:
        assert bulk.insert_frame(conn, indicator_contribution, ROWS, fixed={"year": 2020, "run_id": run_id}) == 5
    c = indicator_contribution.c
    with warehouse.connect() as conn:
        rows = conn.execute(sa.select(c.school_code, c.numerator, c.denominator).order_by(c.contribution_id)).all()
    stored = pl.DataFrame([tuple(r) for r in rows], schema={"school_code": pl.String, "numerator": pl.Float64, "denominator": pl.Float64}, orient="row")
    expected = pl.DataFrame({"school_code": ["a", "b", None, "d", "e"], "numerator": [1.0, None, None, 4.0, 5.0], "denominator": [10.0, 20.0, 30.0, 40.0, 50.0]})
    assert_frame_equal(stored, expected)
