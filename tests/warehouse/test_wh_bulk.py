"""warehouse/bulk.py: frames conformed to a table, then COPY on PostgreSQL or chunked executemany on SQLite."""

from __future__ import annotations

import polars as pl
import pytest
import sqlalchemy as sa
from polars.testing import assert_frame_equal
from wh_data import new_run

import warehouse.bulk as bulk
from warehouse.coltypes import ID
from warehouse.engine import is_sqlite
from warehouse.errors import WarehouseError

PROBE_METADATA = sa.MetaData()
probe = sa.Table(
    "bulk_probe",
    PROBE_METADATA,
    sa.Column("probe_id", ID, primary_key=True, autoincrement=True),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("run_id", sa.Integer, nullable=False),
    sa.Column("county_code", sa.Text, nullable=False),
    sa.Column("school_code", sa.Text),
    sa.Column("indicator_code", sa.Text, nullable=False),
    sa.Column("numerator", sa.Double),
    sa.Column("denominator", sa.Double),
)
"""A table shaped like the warehouse's bulk tables (surrogate key, fixed year and run, text, doubles, NULLs), for these tests only."""


@pytest.fixture
def warehouse(warehouse: sa.Engine) -> sa.Engine:
    """The migrated warehouse plus the probe table."""
    PROBE_METADATA.create_all(warehouse)
    return warehouse

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
    got = bulk.conform(probe, ROWS, fixed={"year": 2020, "run_id": 7})
    assert got.columns == ["year", "run_id", "county_code", "school_code", "indicator_code", "numerator", "denominator"]
    assert got.schema["denominator"] == pl.Float64
    # NaN is stored as NULL, the same on every dialect.
    assert got.get_column("numerator").to_list() == [1.0, None, None, 4.0, 5.0]
    assert got.get_column("year").to_list() == [2020] * 5


def test_conform_names_missing_columns() -> None:
    with pytest.raises(WarehouseError, match="lacks column\\(s\\) numerator"):
        bulk.conform(probe, ROWS.drop("numerator"), fixed={"year": 2020, "run_id": 7})


def test_insert_frame_uses_the_bulk_path_of_each_dialect(warehouse: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    run_id = new_run(warehouse, 2020)
    if is_sqlite(warehouse):
        monkeypatch.setattr(bulk, "CHUNK_ROWS", 2)  # 5 rows → chunks of 2, 2 and 1
    else:
        monkeypatch.setattr(bulk, "_executemany", lambda *a: pytest.fail("PostgreSQL must load through COPY"))
    with warehouse.begin() as conn:
        assert bulk.insert_frame(conn, probe, ROWS, fixed={"year": 2020, "run_id": run_id}) == 5
    c = probe.c
    with warehouse.connect() as conn:
        rows = conn.execute(sa.select(c.school_code, c.numerator, c.denominator).order_by(c.probe_id)).all()
    stored = pl.DataFrame([tuple(r) for r in rows], schema={"school_code": pl.String, "numerator": pl.Float64, "denominator": pl.Float64}, orient="row")
    expected = pl.DataFrame({"school_code": ["a", "b", None, "d", "e"], "numerator": [1.0, None, None, 4.0, 5.0], "denominator": [10.0, 20.0, 30.0, 40.0, 50.0]})
    assert_frame_equal(stored, expected)


def _stored_rows(warehouse: sa.Engine) -> pl.DataFrame:
    c = probe.c
    with warehouse.connect() as conn:
        rows = conn.execute(sa.select(c.year, c.run_id, c.school_code, c.numerator, c.denominator).order_by(c.probe_id)).all()
    schema = {"year": pl.Int64, "run_id": pl.Int64, "school_code": pl.String, "numerator": pl.Float64, "denominator": pl.Float64}
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


@pytest.mark.parametrize("params_per_statement", [1, 10, 15, 1000])
def test_sqlite_rows_grouped_per_statement_keep_order_values_and_nulls(warehouse: sa.Engine, monkeypatch: pytest.MonkeyPatch, params_per_statement: int) -> None:
    if not is_sqlite(warehouse):
        pytest.skip("the multi-row INSERT is the SQLite path")
    # 5 bound columns (year and run_id are SQL literals): 1 → one row per statement, 10 → groups of 2 and a
    # remainder of 1, 15 → a group of 3 and a remainder of 2, 1000 → no full group, every row in the remainder.
    monkeypatch.setattr(bulk, "SQLITE_PARAMS_PER_STATEMENT", params_per_statement)
    run_id = new_run(warehouse, 2020)
    with warehouse.begin() as conn:
        assert bulk.insert_frame(conn, probe, ROWS, fixed={"year": 2020, "run_id": run_id}) == 5
    expected = pl.DataFrame(
        {
            "year": [2020] * 5,
            "run_id": [run_id] * 5,
            "school_code": ["a", "b", None, "d", "e"],
            "numerator": [1.0, None, None, 4.0, 5.0],
            "denominator": [10.0, 20.0, 30.0, 40.0, 50.0],
        }
    )
    assert_frame_equal(_stored_rows(warehouse), expected)


def test_stored_doubles_are_the_frames_to_the_bit(warehouse: sa.Engine) -> None:
    run_id = new_run(warehouse, 2020)
    # Not -0.0: SQLite itself stores it as 0 whichever way it is bound.
    awkward = [0.1, 1 / 3, 2.0**-1074, 1.7976931348623157e308, 123456789.12345679, 5e-324 * 3, -2.5e-300, 0.30000000000000004]
    frame = pl.DataFrame(
        {
            "county_code": ["622901"] * len(awkward),
            "school_code": [str(i) for i in range(len(awkward))],
            "indicator_code": ["ratio_a"] * len(awkward),
            "numerator": awkward,
            "denominator": list(reversed(awkward)),
        }
    )
    with warehouse.begin() as conn:
        bulk.insert_frame(conn, probe, frame, fixed={"year": 2020, "run_id": run_id})
    stored = _stored_rows(warehouse)
    assert [x.hex() for x in stored.get_column("numerator")] == [x.hex() for x in awkward]
    assert [x.hex() for x in stored.get_column("denominator")] == [x.hex() for x in reversed(awkward)]


def test_only_plain_ints_into_integer_columns_become_sql_literals() -> None:
    rows = bulk.conform(probe, ROWS, fixed={"year": 2020, "run_id": 7})
    assert bulk._integer_literals(rows, {"year": 2020, "run_id": 7}) == {"year": 2020, "run_id": 7}
    # A bool is an int to Python but not one to inline; a float column keeps its bound double.
    assert bulk._integer_literals(rows.with_columns(pl.lit(True).alias("flag")), {"flag": True, "numerator": 1}) == {}
    assert bulk._integer_literals(rows, None) == {}


def test_a_failing_row_in_a_grouped_insert_raises_the_sqlalchemy_error(warehouse: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "SQLITE_PARAMS_PER_STATEMENT", 10)
    run_id = new_run(warehouse, 2020)
    bad = ROWS.with_columns(pl.when(pl.col("school_code") == "b").then(None).otherwise(pl.col("county_code")).alias("county_code"))
    with pytest.raises(sa.exc.IntegrityError), warehouse.begin() as conn:
        bulk.insert_frame(conn, probe, bad, fixed={"year": 2020, "run_id": run_id})
    assert _stored_rows(warehouse).height == 0
