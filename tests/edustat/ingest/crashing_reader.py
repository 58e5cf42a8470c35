"""A parse-worker reader for tests: reads files as edustat does, but aborts its process on a file named crash*."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from config import Rules
from edustat.ingest.files import PackedResult, read_and_pack_files


def read_or_abort(paths: Sequence[Path], root: Path, rules: Rules) -> PackedResult:
    """``read_and_pack_files``, except that a batch holding a file whose name starts with "crash" kills the process (SIGABRT)."""
    if any(Path(path).name.startswith("crash") for path in paths):
        os.abort()
    return read_and_pack_files(paths, root, rules)
