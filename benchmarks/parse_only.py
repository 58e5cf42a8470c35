"""The practical limit: every workbook read with the pipeline's own reader and nothing else, on every core.

`python -m benchmarks.parse_only DIR [--processes N]` reads every input file below DIR with
``edustat.ingest.read.read_file`` (the fastexcel reader the pipeline uses, safety checks
included) in a pool of N spawned processes, and prints the number of sheets read. No header is
looked for, no cell converted, nothing validated or stored.
"""

from __future__ import annotations

import argparse
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from edustat.ingest.discover import discover_files
from edustat.ingest.read import read_file
from runtime.worker_pool import core_count
from schemas.rules import load_rules

CHUNK_FILES = 16
"""Files handed to a worker at a time."""


def read_files(paths: list[Path], root: Path) -> int:
    """Read each file (sheets as frames of raw strings) and drop it; returns the number of sheets read."""
    limits = load_rules().limits
    sheets = 0
    for path in paths:
        read, _ = read_file(path, root, limits)
        sheets += len(read)
    return sheets


def parse_all(root: Path, processes: int) -> int:
    """Every file below ``root`` read in ``processes`` worker processes (inline when 1); the number of sheets read."""
    files = discover_files(root)
    chunks = [files[i : i + CHUNK_FILES] for i in range(0, len(files), CHUNK_FILES)]
    if processes <= 1:
        return sum(read_files(chunk, root) for chunk in chunks)
    with ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn")) as pool:
        return sum(pool.map(read_files, chunks, [root] * len(chunks)))


def main() -> None:
    """Command line: read everything below DIR and print the sheet count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input_dir", type=Path)
    parser.add_argument("--processes", type=int, default=core_count())
    args = parser.parse_args()
    print(parse_all(args.input_dir, args.processes))


if __name__ == "__main__":
    main()
