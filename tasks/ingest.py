"""Tasks that read a year's input folder: the files, their fingerprint, each file parsed, and the validated year."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import polars as pl
from prefect import get_run_logger, task
from prefect.cache_policies import CacheKeyFnPolicy
from prefect.context import TaskRunContext

from config import Rules
from edustat.configuration import Configuration
from edustat.fingerprint import InputFiles, file_digest, hash_inputs
from edustat.ingest.code_version import parser_digest
from edustat.ingest.discover import InputFolder, scan_folder
from edustat.ingest.files import FileResult, PackedResult, read_and_pack_files
from edustat.ingest.pooled import read_in_pool
from edustat.ingest.stage import CombinedYear, combine_year
from runtime.worker_pool import parse_processes, warm_up
from schemas.bound import problem_totals
from tasks import uncached_task

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
