"""warehouse.versions.version_changes: which rows a new version writes and retires (pure, on tiny frames)."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal
from wh_data import values_frame

from warehouse.versions import LoadCounts, version_changes


def _current(rows: list[tuple]) -> pl.DataFrame:
    """Current rows as stored: (value_id, region_code, indicator_code, value, numerator, denominator)."""
    return pl.concat([pl.DataFrame({"value_id": [r[0] for r in rows]}), values_frame([r[1:] for r in rows])], how="horizontal")


def test_only_added_and_changed_keys_are_written_and_changed_or_removed_ones_retired() -> None:
    old = _current(
        [
            (10, "622901", "ratio_a", 90.0, 45.0, 50.0),  # same value, other numerator and denominator below → changed
            (11, "622901", "sum_b", None, None, None),  # NULL and NULL → unchanged
            (12, "622921", "ratio_a", 50.0, 1.0, 2.0),  # identical → unchanged
            (13, "622900", "ratio_a", 70.0, 7.0, 10.0),  # absent from the new version → removed
        ]
    )
    new = values_frame(
        [
            ("622901", "ratio_a", 90.0, 9.0, 10.0),
            ("622901", "sum_b", None, None, None),
            ("622921", "ratio_a", 50.0, 1.0, 2.0),
            ("620000", "ratio_a", 80.0, 8.0, 10.0),  # new key → added
        ]
    )
    changes = version_changes(new, old)
    assert changes.counts == LoadCounts(added=1, changed=1, unchanged=2, removed=1)
    assert_frame_equal(changes.written, values_frame([("622901", "ratio_a", 90.0, 9.0, 10.0), ("620000", "ratio_a", 80.0, 8.0, 10.0)]))
    assert changes.retired == [10, 13]
    assert changes.removed.rows() == [("622900", "ratio_a")]


def test_a_first_version_writes_everything_and_retires_nothing() -> None:
    new = values_frame([("622901", "ratio_a", None, 0.0, 0.0), ("622901", "sum_b", 3.0, 3.0, None)])
    changes = version_changes(new, _current([]).cast({"value_id": pl.Int64}))
    assert changes.counts == LoadCounts(added=2, changed=0, unchanged=0)
    assert_frame_equal(changes.written, new)
    assert changes.retired == [] and changes.removed.height == 0
