"""How a year's files are grouped for parsing: a few batches per worker, each a run of neighbouring files (pure)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

MAX_BATCH_FILES = 32
"""Files parsed together at most: a corrected workbook makes its batch (not the year) be parsed again."""

BATCHES_PER_WORKER = 4
"""Batches per worker at least, so that the workers finish close together."""


def file_batches(files: Sequence[Path], workers: int) -> list[list[Path]]:
    """``files`` in path order, cut into consecutive batches: one list per batch, every file in exactly one.

    Batches are as large as MAX_BATCH_FILES allows while giving each of ``workers`` at least
    BATCHES_PER_WORKER of them; a batch's members depend only on the sorted file list, so an
    unchanged folder gives the same batches (and the same cache keys) run after run.
    """
    ordered = sorted(files, key=lambda path: Path(path).as_posix())
    if not ordered:
        return []
    size = max(1, min(MAX_BATCH_FILES, math.ceil(len(ordered) / (max(1, workers) * BATCHES_PER_WORKER))))
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]
