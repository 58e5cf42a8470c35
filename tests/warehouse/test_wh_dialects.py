"""SQLite and PostgreSQL store and return the very same values for the same load."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import sqlalchemy as sa
from polars.testing import assert_frame_equal
from wh_data import new_run, postgres_schema_engine, prepare, staged_tables, values_frame

from schemas.issues import issue_frame
from warehouse.engine import make_engine
from warehouse.load import load_year
from warehouse.read import current_values, history

FIRST = values_frame(
    [
        ("620000", "ratio_a", 100 * 2 / 3, 2.0, 3.0),
        ("622900", "ratio_a", 0.1 + 0.2, 0.30000000000000004, 1.0),
        ("622901", "ratio_a", None, 0.0, 0.0),
        ("622921", "sum_b", 1e-9, 1e-9, None),
    ]
)
SECOND = FIRST.with_columns(pl.when(pl.col("region_code") == "622901").then(pl.lit(50.0)).otherwise(pl.col("value")).alias("value"))


def _load_twice(engine: sa.Engine) -> tuple[pl.DataFrame, pl.DataFrame]:
    prepare(engine)
    issues = issue_frame([{"severity": "warning", "rule": "big_change", "source_row": 7, "value": "甲", "message_zh": "变化大", "message_en": "big change"}])
    for values in (FIRST, SECOND):
        run_id = new_run(engine, 2020)
        load_year(engine, run_id, 2020, values, staged_tables([("6229010001", "一小")]), issues, 5)
    # run_id and started_at differ between databases by nature; everything else must not.
    return (
        current_values(engine, 2020).drop("run_id"),
        history(engine, 2020).drop("run_id", "started_at"),
    )


def test_sqlite_and_postgres_give_identical_values(tmp_path: Path, postgres_url: str) -> None:
    lite = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    try:
        lite_current, lite_history = _load_twice(lite)
    finally:
        lite.dispose()
    with postgres_schema_engine(postgres_url) as pg:
        pg_current, pg_history = _load_twice(pg)
    assert lite_current.height == 4
    assert lite_history.height == 5  # the 4 values of FIRST, then SECOND's one change (622901: NULL → 50)
    assert_frame_equal(lite_current, pg_current, check_exact=True)
    assert_frame_equal(lite_history, pg_history, check_exact=True)
