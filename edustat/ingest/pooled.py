"""A batch of files parsed in the pool of worker processes, surviving a worker that dies.

A reader that aborts (a native crash, the kernel's out-of-memory killer) takes its worker process
with it, and the pool is broken for every batch in flight. The batch is then parsed again one file
at a time, each in a fresh pool: the file whose worker dies again becomes that file's error
(``reader_crashed``), and the others are read as usual. Grain: one PackedResult per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from config import Rules
from edustat.ingest.files import FileResult, PackedResult, merge_results, pack_result, read_and_pack_files
from edustat.ingest.read import relative_name
from runtime.worker_pool import discard_pool, process_pool
from schemas.issues import issue, issue_frame

Reader = Callable[[Sequence[Path], Path, Rules], PackedResult]

CRASH_DETAIL = "the worker process ended abruptly, e.g. killed for lack of memory / 工作进程意外退出，例如内存不足被终止"


def crashed_file(path: Path, root: Path) -> FileResult:
    """The result of one file whose reader died: no rows, one error naming the file."""
    source_file = relative_name(Path(path), Path(root))
    return FileResult(source_file=source_file, issues=issue_frame([issue("reader_crashed", "error", source_file=source_file, detail=CRASH_DETAIL)]))


def _in_pool(workers: int, reader: Reader, paths: Sequence[Path], root: Path, rules: Rules) -> PackedResult | None:
    """``reader`` on ``paths`` in the pool; None (and the broken pool discarded) when a worker died."""
    pool = process_pool(workers)
    try:
        return pool.submit(reader, list(paths), root, rules).result()
    except BrokenProcessPool:
        discard_pool(workers, pool)
        return None


def read_in_pool(workers: int, paths: Sequence[Path], root: Path, rules: Rules, reader: Reader = read_and_pack_files) -> PackedResult:
    """The batch ``paths`` read by ``reader`` in the pool of ``workers`` processes; a file that kills its worker is its own error."""
    packed = _in_pool(workers, reader, paths, root, rules)
    if packed is not None:
        return packed
    results = []
    for path in sorted(paths, key=lambda each: relative_name(Path(each), Path(root))):
        single = _in_pool(workers, reader, [path], root, rules)
        results.append(single.unpack() if single is not None else crashed_file(path, root))
    return pack_result(merge_results(results))
