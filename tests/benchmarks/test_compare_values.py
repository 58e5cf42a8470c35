"""benchmarks.compare_values: two warehouses' values compared bit for bit, NULL equal to NULL only."""

from __future__ import annotations

import polars as pl

from benchmarks.compare_values import SCHEMA, differences


def _values(*rows: tuple) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=SCHEMA, orient="row")


def test_identical_values_have_no_difference() -> None:
    old = _values((2020, "622901", "video_rate", 50.0, 1.0, 2.0), (2020, "622901", "new_teachers", 3.0, 3.0, None))
    assert differences(old, old.reverse()) == []


def test_every_kind_of_difference_is_named() -> None:
    old = _values(
        (2020, "622901", "a", 0.0, 0.0, 1.0),
        (2020, "622901", "b", None, 0.0, 0.0),
        (2020, "622901", "c", 1.0, 1.0, None),
        (2020, "622901", "gone", 1.0, 1.0, None),
    )
    new = _values(
        (2020, "622901", "a", -0.0, 0.0, 1.0),  # same number, other bits
        (2020, "622901", "b", 0.0, 0.0, 0.0),  # NULL became 0
        (2020, "622901", "c", 1.0, 1.0, None),
        (2020, "622901", "added", 1.0, 1.0, None),
    )
    found = differences(old, new)
    assert len(found) == 4
    assert any("only in the new warehouse" in line and "added" in line for line in found)
    assert any("only in the reference" in line and "gone" in line for line in found)
    assert any(" a value" in line for line in found)
    assert any(" b value" in line for line in found)
