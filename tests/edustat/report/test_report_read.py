"""warehouse/report_read.py: the report's frames, current or as one run published them, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl
import pytest
import sqlalchemy as sa
from report_builders import PREFECTURE, load, prepare_warehouse

from schemas.issues import issue_frame
from warehouse.errors import WarehouseError
from warehouse.rejection import record_rejection
from warehouse.report_read import read_report_frames
from warehouse.runs import start_run


@pytest.fixture
def engine(warehouse_url: str) -> Iterator[sa.Engine]:
    """A migrated warehouse with the real catalogue and the tiny region tree."""
    made = prepare_warehouse(warehouse_url)
    yield made
    made.dispose()


def _value(frame: pl.DataFrame, region: str, code: str) -> float | None:
    found = frame.filter(pl.col("region_code") == region, pl.col("indicator_code") == code)
    return found.item(0, "value") if found.height else None


def test_current_values_and_last_year(engine: sa.Engine) -> None:
    load(engine, 2019, {PREFECTURE: {"senior_ger": 78.0}}, reason="2019 delivery")
    first = load(engine, 2020, {PREFECTURE: {"senior_ger": 80.0, "preschool_ger": 95.42}}, reason="first delivery")
    fix = load(engine, 2020, {PREFECTURE: {"senior_ger": 81.2, "preschool_ger": 95.42}}, reason="county fix")
    frames = read_report_frames(engine, 2020)
    assert _value(frames.values, PREFECTURE, "senior_ger") == 81.2
    assert _value(frames.previous, PREFECTURE, "senior_ger") == 78.0
    # preschool_ger did not change, so its current row is still the first delivery's.
    assert frames.values.filter(pl.col("indicator_code") == "preschool_ger").item(0, "run_id") == first
    assert frames.runs.get_column("run_id").to_list() == [first, fix]
    assert frames.runs.get_column("reason").to_list() == ["first delivery", "county fix"]
    assert frames.pinned_run is None
    assert first < fix
    assert set(frames.regions.get_column("region_code")) >= {PREFECTURE, "622901"}
    assert frames.indicators.filter(pl.col("indicator_code") == "senior_ger").item(0, "name_zh") == "高中阶段毛入学率"


def test_a_pinned_run_shows_the_values_it_published(engine: sa.Engine) -> None:
    old_2019 = load(engine, 2019, {PREFECTURE: {"senior_ger": 78.0}}, reason="2019 delivery")
    first = load(engine, 2020, {PREFECTURE: {"senior_ger": 80.0}}, reason="first delivery")
    load(engine, 2020, {PREFECTURE: {"senior_ger": 81.2}}, reason="county fix")
    load(engine, 2019, {PREFECTURE: {"senior_ger": 77.0}}, reason="2019 corrected later")
    pinned = read_report_frames(engine, 2020, run_id=first)
    assert _value(pinned.values, PREFECTURE, "senior_ger") == 80.0
    # Last year as it stood when run `first` loaded: the 2019 correction came after it.
    assert _value(pinned.previous, PREFECTURE, "senior_ger") == 78.0
    assert pinned.previous.get_column("run_id").to_list() == [old_2019]
    assert pinned.pinned_run == first
    assert pinned.runs.get_column("reason").to_list() == ["first delivery"]
    # Without a pin, last year is its current version.
    assert _value(read_report_frames(engine, 2020).previous, PREFECTURE, "senior_ger") == 77.0


def test_refusals_name_the_problem(engine: sa.Engine) -> None:
    with pytest.raises(WarehouseError, match="no values for 2020"):
        read_report_frames(engine, 2020)
    run_2019 = load(engine, 2019, {PREFECTURE: {"senior_ger": 78.0}})
    with pytest.raises(WarehouseError, match="not in the warehouse"):
        read_report_frames(engine, 2019, run_id=run_2019 + 100)
    with pytest.raises(WarehouseError, match="is a run of 2019, not 2020"):
        read_report_frames(engine, 2020, run_id=run_2019)
    rejected = start_run(engine, 2019, "manual", "broken", "fp-x", None)
    record_rejection(engine, rejected, 2019, issue_frame([{"severity": "error", "rule": "r"}]), "1 error")
    with pytest.raises(WarehouseError, match="loaded no values \\(status rejected\\)"):
        read_report_frames(engine, 2019, run_id=rejected)

