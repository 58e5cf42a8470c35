"""Tasks that read a year's input folder: the files, their fingerprint, each file parsed, and the validated year."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import polars as pl
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE, CacheKeyFnPolicy
from prefect.context import TaskRunContext

from config.models import Rules
from edustat.configuration import Configuration
from edustat.fingerprint import file_digest, input_fingerprint
from edustat.ingest.code_version import parser_digest
from edustat.ingest.discover import discover_files
from edustat.ingest.stage import FileResult, combine_files, read_and_normalize_file
from edustat.staged import StagedTables


@task(name="discover_inputs", cache_policy=NO_CACHE)
def discover_inputs(input_dir: str) -> list[Path]:
    """Every spreadsheet below the year's input folder, sorted."""
    files = discover_files(Path(input_dir))
    get_run_logger().info("%d input files below %s", len(files), input_dir)
    return files


@task(name="fingerprint_inputs", cache_policy=NO_CACHE)
def fingerprint_inputs(input_dir: str, files: list[Path]) -> str:
    """A content hash of every input file: equal bytes, equal fingerprint."""
    return input_fingerprint(Path(input_dir), files)


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


@task(name="validate_year", cache_policy=NO_CACHE)
def validate_year(
    parsed: list[FileResult], configuration: Configuration, previous_enrollment: pl.DataFrame
) -> tuple[StagedTables, pl.DataFrame]:
    """All files combined into the year's tables, validated by Pandera and across tables: the tables and every problem."""
    staged, issues = combine_files(parsed, configuration.regions, configuration.rules, previous_enrollment)
    get_run_logger().info("%d problems found", issues.height)
    return staged, issues
