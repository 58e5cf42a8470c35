"""The parse of a year's input files wired on the flow's task runner: one ``read_workbooks`` task per batch, progress as
batches finish, and each batch's rows handed on in file order (orchestration, run in the flow: no task of its own)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
from prefect import get_run_logger, unmapped
from prefect.futures import as_completed

from config import Rules
from edustat.fingerprint import InputFiles, digests_by_file
from edustat.ingest.batches import file_batches
from edustat.ingest.discover import InputFolder, folder_issues
from edustat.ingest.files import FileResult
from runtime.parse_progress import ParseProgress
from runtime.worker_pool import core_count, parse_processes
from schemas.staged import in_staged_order
from tasks.ingest import read_workbooks


def parse_inputs(
    folder: InputFolder,
    rules: Rules,
    inputs: InputFiles | None = None,
    on_batch: Callable[[dict[str, pl.DataFrame]], object] | None = None,
    only: list[Path] | None = None,
    *,
    configured_processes: int | None,
    task_runner: str,
) -> list[FileResult]:
    """Every input file of ``folder`` (or ``only`` those, for a correction) parsed, one ``read_workbooks`` task per batch on the flow's task runner; results in batch order.

    Called in the flow (not a task): it reports progress (files parsed, rate, time left) on the
    terminal and in the flow run's logs as batches finish, and hands each batch's rows (in staged
    order) to ``on_batch`` in batch order, so that a load can write them while later batches parse.
    ``inputs`` (the run's file hashes) keys the cache without reading the files again. The folder's
    unread entries (hidden files, links) come last, as one result of issues. ``configured_processes``
    (EDUSTAT_PARSE_PROCESSES) and ``task_runner`` (EDUSTAT_TASK_RUNNER) decide the parse workers.
    """
    files = list(folder.files) if only is None else only
    input_dir = str(folder.root)
    processes = parse_processes(configured_processes, len(files), task_runner)
    workers = processes or (core_count() if task_runner == "thread" else max(core_count(), 8))
    batches = file_batches(files, workers)
    known = digests_by_file(inputs, Path(input_dir))
    digests = [[known[path] for path in batch] if all(path in known for path in batch) else None for batch in batches]
    futures = read_workbooks.map(batches, root=unmapped(input_dir), rules=unmapped(rules), processes=unmapped(processes), digests=digests)
    sizes = {future.task_run_id: len(batch) for future, batch in zip(futures, batches, strict=True)}
    positions = {future.task_run_id: position for position, future in enumerate(futures)}
    results: dict[int, FileResult] = {}
    handed = 0
    progress = ParseProgress(total=len(files))
    for future in as_completed(futures):
        progress.advance(sizes[future.task_run_id])
        results[positions[future.task_run_id]] = future.result().unpack()
        log_internal_errors(results[positions[future.task_run_id]].issues)
        # In batch order: a batch that finishes early waits for the ones before it, so rows go in file order.
        while on_batch is not None and handed in results:
            on_batch(in_staged_order(results[handed].tables))
            handed += 1
    progress.finish()
    # What the walk left unread (dot-files, lock files, links) is named, not skipped in silence.
    unread = FileResult(source_file=input_dir, issues=folder_issues(folder))
    return [*(results[position] for position in range(len(futures))), unread]


def log_internal_errors(issues: pl.DataFrame) -> None:
    """Put edustat's own failures while reading a file into the flow run's log, where a maintainer looks."""
    for row in issues.filter(pl.col("rule") == "internal_error").iter_rows(named=True):
        get_run_logger().error("internal error while reading %s: %s", row["source_file"], row["message_en"])
