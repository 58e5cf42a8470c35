"""Tasks that read a year's input folder: the files, their fingerprint, each file parsed, and the validated year."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from prefect import get_run_logger, task, unmapped
from prefect.cache_policies import CacheKeyFnPolicy
from prefect.context import TaskRunContext
from prefect.futures import as_completed

from config.models import Rules
from edustat.configuration import Configuration
from edustat.fingerprint import InputFiles, digests_by_file, file_digest, hash_inputs
from edustat.ingest.batches import file_batches
from edustat.ingest.code_version import parser_digest
from edustat.ingest.discover import InputFolder, folder_issues, scan_folder
from edustat.ingest.files import FileResult, PackedResult, read_and_pack_files
from edustat.ingest.stage import CombinedYear, combine_year
from edustat.ingest.pooled import read_in_pool
from edustat.parallel import core_count, parse_processes, warm_up
from schemas.staged import in_staged_order
from schemas.bound import problem_totals
from tasks import uncached_task
from tasks.progress import ParseProgress

PARSE_MODULES = ("edustat.ingest.files",)
"""What a parse worker process imports before its first batch."""


@uncached_task(name="discover_inputs")
def discover_inputs(input_dir: str, configured_processes: int | None, task_runner: str) -> InputFolder:
    """The year's input folder walked once: every spreadsheet below it, sorted, and what is left unread (hidden files, links).

    ``configured_processes`` (EDUSTAT_PARSE_PROCESSES) and ``task_runner`` (EDUSTAT_TASK_RUNNER) say
    whether parse worker processes will be used, which are then started while the inputs are hashed.
    """
    folder = scan_folder(Path(input_dir))
    get_run_logger().info("%d input files below %s", len(folder.files), input_dir)
    workers = parse_processes(configured_processes, len(folder.files), task_runner)
    if workers:
        # The workers import while the inputs are fingerprinted and the warehouse is asked about them.
        warm_up(workers, PARSE_MODULES)
    return folder


@uncached_task(name="fingerprint_inputs")
def fingerprint_inputs(folder: InputFolder) -> InputFiles:
    """A content hash of every input file and one over them all (and the entries left unread): equal bytes, equal fingerprint."""
    return hash_inputs(folder)


def batch_content_key(_: TaskRunContext, parameters: dict[str, Any]) -> str:
    """Cache key of one batch's parse: each file's bytes and place below the input folder, the parser's code and the rules.

    The files' SHA-256 come from ``digests`` when the run has them already (fingerprint_inputs), so
    that a national year is not read twice just to be hashed.
    """
    root, rules = Path(parameters["root"]), parameters["rules"]
    paths = [Path(p) for p in parameters["paths"]]
    digests = parameters.get("digests") or [file_digest(path) for path in paths]
    parts = [parser_digest(), rules.model_dump_json()]
    for path, digest in zip(paths, digests, strict=True):
        parts += [path.relative_to(root).as_posix(), digest]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


@task(name="read_workbooks", cache_policy=CacheKeyFnPolicy(cache_key_fn=batch_content_key), persist_result=True)
def read_workbooks(paths: list[Path], root: str, rules: Rules, processes: int = 0, digests: list[str] | None = None) -> PackedResult:
    """A batch of input files read and normalised together (their rows per table, header map and issues), packed.

    With ``processes`` > 0 the work runs in this machine's pool of parse worker processes (the
    thread that runs the task only waits; a file whose worker dies is that file's error); otherwise
    in the task's own thread or Dask worker.
    """
    if processes:
        return read_in_pool(processes, paths, Path(root), rules)
    return read_and_pack_files(paths, Path(root), rules)


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


@uncached_task(name="validate_year")
def validate_year(
    parsed: list[FileResult], configuration: Configuration, previous: dict[str, pl.DataFrame], allow_incomplete: bool = False
) -> CombinedYear:
    """All files combined into the year's tables, validated by Pandera, across tables and for completeness: the tables,
    every problem, and which county sent which table (one status row per county × table).

    With ``allow_incomplete`` a missing county, table or row is a warning instead of an error.
    """
    combined = combine_year(
        parsed, configuration.regions, configuration.rules, previous.get("enrollment"), allow_incomplete=allow_incomplete,
        checks=configuration.checks, previous_year=previous,
    )
    get_run_logger().info("%d problems found (%d listed)", sum(problem_totals(combined.issues)), combined.issues.height)
    return combined
