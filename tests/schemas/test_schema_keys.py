"""One row per key (schemas.keys): a frame whose keys are distinct is taken as it is, else its first row per key."""

from __future__ import annotations

import polars as pl

from schemas.keys import distinct_keys, first_per_key


def test_distinct_school_and_stage_pairs_are_distinct_keys_even_when_a_school_repeats():
    frame = pl.DataFrame({"school_code": ["A", "A", "B"], "stage": ["primary", "junior", "primary"]})
    assert distinct_keys(frame, ["school_code", "stage"])
    # On the school alone, A is there twice.
    assert not distinct_keys(frame, ["school_code"])


def test_a_frame_of_one_row_or_none_has_distinct_keys():
    assert distinct_keys(pl.DataFrame({"school_code": ["A"]}), ["school_code"])
    assert distinct_keys(pl.DataFrame(schema={"school_code": pl.String}), ["school_code"])


def test_the_first_row_of_a_repeated_key_is_kept_and_two_empty_keys_are_one_key():
    frame = pl.DataFrame({"school_code": ["A", "B", "A", None, None], "teachers": [1, 2, 3, 4, 5]})
    kept = first_per_key(frame, ["school_code"]).collect().sort("teachers")
    # A: rows 1 and 3, the first (1) kept; B once; the two empty codes count as one key, the first (4) kept.
    assert kept.rows() == [("A", 1), ("B", 2), (None, 4)]


def test_a_frame_with_distinct_keys_comes_back_whole():
    frame = pl.DataFrame({"school_code": ["A", "B", "C"], "teachers": [1, 2, 3]})
    assert first_per_key(frame, ["school_code"]).collect().sort("school_code").equals(frame)
