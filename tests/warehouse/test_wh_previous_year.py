"""warehouse/read.py previous_year: the school-level tables of year − 1 that the outlier warnings compare with."""

from __future__ import annotations

import sqlalchemy as sa
from wh_data import new_run, staged_tables, values_frame

from schemas.issues import empty_issues
from schemas.tables import TABLES, numeric_columns
from warehouse.load import load_year
from warehouse.read import PREVIOUS_YEAR_TABLES, previous_year

VALUES = values_frame([("622901", "sum_b", 10.0, 10.0, None)])


def _load(engine: sa.Engine, year: int, students: dict[str, int]) -> None:
    run_id = new_run(engine, year, reason="test")
    load_year(engine, run_id, year, VALUES, staged_tables([("6229010001", "一小"), ("6229010002", "二小")], students), empty_issues(), 5)


def test_previous_year_holds_the_key_and_numeric_columns_of_the_year_before(warehouse: sa.Engine) -> None:
    empty = previous_year(warehouse, 2020)
    assert sorted(empty) == sorted(PREVIOUS_YEAR_TABLES) and all(frame.height == 0 for frame in empty.values())
    for name, frame in empty.items():
        keys = [c for c in ("school_code", "stage") if c in TABLES[name].column_names]
        assert frame.columns == [*keys, *numeric_columns()[name]]
    _load(warehouse, 2019, {"6229010001": 120, "6229010002": 80})
    _load(warehouse, 2020, {"6229010001": 999, "6229010002": 999})
    got = previous_year(warehouse, 2020)
    assert got["enrollment"].select("school_code", "students").rows() == [("6229010001", 120), ("6229010002", 80)]
    assert previous_year(warehouse, 2020, ["6229010002"])["enrollment"].select("school_code", "students").rows() == [("6229010002", 80)]
    assert previous_year(warehouse, 2019)["enrollment"].height == 0
