"""plan_correction: which files changed, and when the whole year is run instead."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from edustat.correction import CorrectionPlan, StoredInputs, changed_paths, plan_correction

DIGEST = "config-1"


def _files(**hashes: str) -> pl.DataFrame:
    return pl.DataFrame({"source_file": list(hashes), "sha256": list(hashes.values())})


def _stored(files: pl.DataFrame, digest: str | None = DIGEST) -> StoredInputs:
    return StoredInputs(run_id=7, config_digest=digest, files=files)


EIGHT = {f"c{i}.xlsx": f"h{i}" for i in range(8)}


def test_a_changed_an_added_and_a_removed_file_are_the_changes() -> None:
    now = _files(**(EIGHT | {"c1.xlsx": "new", "c8.xlsx": "h8"}))
    before = _files(**{k: v for k, v in EIGHT.items() if k != "c2.xlsx"} | {"c2.xlsx": "h2"})
    before = before.filter(pl.col("source_file") != "c7.xlsx")  # c7 was not there before: added
    now = now.filter(pl.col("source_file") != "c3.xlsx")  # c3 is gone: removed
    plan = plan_correction(now, _stored(before), DIGEST)
    # changed: c1 (hash), c3 (removed), c7 (added), c8 (added): 4 of 9 files is above a quarter
    assert not plan.is_correction and plan.whole_year_reason == "4 of 9 files changed"


def test_one_changed_file_of_eight_is_a_correction_of_the_stored_run() -> None:
    plan = plan_correction(_files(**(EIGHT | {"c5.xlsx": "other"})), _stored(_files(**EIGHT)), DIGEST)
    assert plan == CorrectionPlan(changed_files=("c5.xlsx",), base_run_id=7)
    assert plan.is_correction


def test_two_of_eight_is_still_a_correction_and_three_is_not() -> None:
    two = plan_correction(_files(**(EIGHT | {"c0.xlsx": "x", "c1.xlsx": "y"})), _stored(_files(**EIGHT)), DIGEST)
    three = plan_correction(_files(**(EIGHT | {"c0.xlsx": "x", "c1.xlsx": "y", "c2.xlsx": "z"})), _stored(_files(**EIGHT)), DIGEST)
    assert two.changed_files == ("c0.xlsx", "c1.xlsx")  # 2 ≤ 0.25 × 8
    assert not three.is_correction  # 3 > 0.25 × 8


def test_another_configuration_or_no_record_runs_the_whole_year() -> None:
    files = _files(**EIGHT)
    assert "configuration" in plan_correction(files, _stored(files, digest="config-0"), DIGEST).whole_year_reason
    assert "configuration" in plan_correction(files, _stored(files, digest=None), DIGEST).whole_year_reason
    assert plan_correction(files, None, DIGEST).whole_year_reason is not None
    assert plan_correction(files, _stored(files.clear()), DIGEST).whole_year_reason is not None


def test_changed_paths_are_the_existing_changed_files(tmp_path: Path) -> None:
    files = [tmp_path / "a.xlsx", tmp_path / "d" / "b.csv", tmp_path / "c.xlsx"]
    plan = CorrectionPlan(changed_files=("d/b.csv", "gone.xlsx", "a.xlsx"), base_run_id=1)
    assert changed_paths(plan, files, tmp_path) == [tmp_path / "a.xlsx", tmp_path / "d" / "b.csv"]
