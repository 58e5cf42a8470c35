"""Which files a rerun must read again: compare the folder's file hashes with those of the run behind the current values."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from schemas.stored_inputs import StoredInputs

MAX_CHANGED_SHARE = 0.25
"""Above this share of changed files a whole-year run is cheaper than working out what the change touches."""


@dataclass(frozen=True)
class CorrectionPlan:
    """How to run a year: as a correction of the files in ``changed_files`` on top of run ``base_run_id``, or whole (``whole_year_reason`` says why)."""

    changed_files: tuple[str, ...] = ()
    base_run_id: int | None = None
    whole_year_reason: str | None = None
    removed_files: tuple[str, ...] = ()
    """The changed files that are gone from the folder (their stored rows are removed, nothing is read)."""

    @property
    def is_correction(self) -> bool:
        """True when only the changed files need reading."""
        return self.whole_year_reason is None


def plan_correction(inputs: pl.DataFrame, stored: StoredInputs | None, config_digest: str) -> CorrectionPlan:
    """The plan for a run over ``inputs`` (one row per file: source_file, sha256) of a year whose current values came from ``stored``.

    A file is changed when it is new, gone, or its hash differs. The run is a correction only when
    the stored run used the same configuration and engine code (``config_digest``) and at most
    MAX_CHANGED_SHARE of the files changed.
    """
    if stored is None or stored.files.height == 0:
        return CorrectionPlan(whole_year_reason="the year has no loaded version with recorded input files")
    if stored.config_digest != config_digest:
        return CorrectionPlan(whole_year_reason=f"the configuration or engine code differs from run {stored.run_id}'s")
    joined = inputs.join(stored.files, on="source_file", how="full", coalesce=True, suffix="_stored")
    changed = joined.filter(~pl.col("sha256").eq_missing(pl.col("sha256_stored")))["source_file"].sort().to_list()
    total = joined.height
    if len(changed) > MAX_CHANGED_SHARE * total:
        return CorrectionPlan(whole_year_reason=f"{len(changed)} of {total} files changed")
    removed = joined.filter(pl.col("sha256").is_null())["source_file"].sort().to_list()
    return CorrectionPlan(changed_files=tuple(changed), base_run_id=stored.run_id, removed_files=tuple(removed))


def changed_paths(plan: CorrectionPlan, files: list[Path], root: Path) -> list[Path]:
    """The files of ``files`` (below ``root``) that the plan says changed and still exist, in path order."""
    changed = set(plan.changed_files)
    return sorted((path for path in files if path.relative_to(root).as_posix() in changed), key=lambda path: path.as_posix())
