"""Tasks that read a year's input folder: the files, their fingerprint, each file parsed, and the validated year."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from prefect import get_run_logger, task, unmapped
from prefect.cache_policies import NO_CACHE, CacheKeyFnPolicy
from prefect.context import TaskRunContext
from prefect.futures import as_completed

from config.models import Rules
from edustat.configuration import Configuration
from edustat.fingerprint import InputFiles, file_digest, hash_inputs
from edustat.ingest.batches import file_batches
from edustat.ingest.code_version import parser_digest
from edustat.ingest.discover import discover_files
from edustat.ingest.files import FileResult, read_and_normalize_file, read_and_normalize_files
from edustat.ingest.stage import combine_files
from edustat.parallel import core_count, parse_processes, process_pool, warm_up
from edustat.settings import load_settings
from edustat.staged import StagedTables, in_staged_order
from tasks.progress import ParseProgress

PARSE_MODULES = ("edustat.ingest.files",)
"""What a parse worker process imports before its first batch."""


@task(name="discover_inputs", cache_policy=NO_CACHE)
def discover_inputs(input_dir: str) -> list[Path]:
    """Every spreadsheet below the year's input folder, sorted."""
    files = discover_files(Path(input_dir))
    get_run_logger().info("%d input files below %s", len(files), input_dir)
    settings = load_settings()
    workers = parse_processes(settings.parse_processes, len(files), settings.task_runner)
    if workers:
        # The workers import while the inputs are fingerprinted and the warehouse is asked about them.
        warm_up(workers, PARSE_MODULES)
    return files


@task(name="fingerprint_inputs", cache_policy=NO_CACHE)
def fingerprint_inputs(input_dir: str, files: list[Path]) -> InputFiles:
    """A content hash of every input file and one over them all: equal bytes, equal fingerprint."""
    return hash_inputs(Path(input_dir), files)


def file_content_key(_: TaskRunContext, parameters: dict[str, Any]) -> str:
    """Cache key of one file's parse: its bytes, its place below the input folder, the parser's code and the rules.

    Keyed on content, so a corrected workbook saved under the same name is read again, and an
    unchanged one is not; the relative path is part of the key because every row records it.
    """
    path, root, rules = Path(parameters["path"]), Path(parameters["root"]), parameters["rules"]
    parts = (file_digest(path), path.relative_to(root).as_posix(), parser_digest(), rules.model_dump_json())
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


@task(name="read_workbook", cache_policy=CacheKeyFnPolicy(cache_key_fn=file_content_key), persist_result=True)
def read_workbook(path: Path, root: str, rules: Rules) -> FileResult:
    """One input file read and normalised: its rows per table, header map and issues; mapped over the year's files."""
    return read_and_normalize_file(path, Path(root), rules)


def batch_content_key(_: TaskRunContext, parameters: dict[str, Any]) -> str:
    """Cache key of one batch's parse: each file's bytes and place below the input folder, the parser's code and the rules."""
    root, rules = Path(parameters["root"]), parameters["rules"]
    parts = [parser_digest(), rules.model_dump_json()]
    for path in (Path(p) for p in parameters["paths"]):
        parts += [path.relative_to(root).as_posix(), file_digest(path)]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


@task(name="read_workbooks", cache_policy=CacheKeyFnPolicy(cache_key_fn=batch_content_key), persist_result=True)
def read_workbooks(paths: list[Path], root: str, rules: Rules, processes: int = 0) -> FileResult:
    """A batch of input files read and normalised together: their rows per table, header map and issues.

    With ``processes`` > 0 the work runs in this machine's pool of parse worker processes (the
    thread that runs the task only waits); otherwise in the task's own thread or Dask worker.
    """
    if processes:
        return process_pool(processes).submit(read_and_normalize_files, paths, Path(root), rules).result()
    return read_and_normalize_files(paths, Path(root), rules)


def parse_inputs(
    files: list[Path], input_dir: str, rules: Rules, on_batch: Callable[[dict[str, pl.DataFrame]], object] | None = None
) -> list[FileResult]:
    """Every input file parsed, one ``read_workbooks`` task per batch on the flow's task runner; results in batch order.

    Called in the flow (not a task): it reports progress (files parsed, rate, time left) on the
    terminal and in the flow run's logs as batches finish, and hands each batch's rows (in staged
    order) to ``on_batch`` in batch order, so that a load can write them while later batches parse.
    """
    settings = load_settings()
    processes = parse_processes(settings.parse_processes, len(files), settings.task_runner)
    workers = processes or (core_count() if settings.task_runner == "thread" else max(core_count(), 8))
    batches = file_batches(files, workers)
    futures = read_workbooks.map(batches, root=unmapped(input_dir), rules=unmapped(rules), processes=unmapped(processes))
    sizes = {future.task_run_id: len(batch) for future, batch in zip(futures, batches, strict=True)}
    positions = {future.task_run_id: position for position, future in enumerate(futures)}
    done: set[int] = set()
    handed = 0
    progress = ParseProgress(total=len(files))
    for future in as_completed(futures):
        progress.advance(sizes[future.task_run_id])
        done.add(positions[future.task_run_id])
        # In batch order: a batch that finishes early waits for the ones before it, so rows go in file order.
        while on_batch is not None and handed in done:
            on_batch(in_staged_order(futures[handed].result().tables))
            handed += 1
    progress.finish()
    return [future.result() for future in futures]


@task(name="validate_year", cache_policy=NO_CACHE)
def validate_year(
    parsed: list[FileResult], configuration: Configuration, previous_enrollment: pl.DataFrame
) -> tuple[StagedTables, pl.DataFrame]:
    """All files combined into the year's tables, validated by Pandera and across tables: the tables and every problem."""
    staged, issues = combine_files(parsed, configuration.regions, configuration.rules, previous_enrollment)
    get_run_logger().info("%d problems found", issues.height)
    return staged, issues
