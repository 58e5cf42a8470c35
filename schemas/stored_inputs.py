"""What the run behind a year's current values read, as the warehouse stores it and a correction compares with."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class StoredInputs:
    """What the run behind a year's current values read: its id, its configuration digest and one row per input file (source_file, sha256)."""

    run_id: int
    config_digest: str | None
    files: pl.DataFrame
