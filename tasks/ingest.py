"""Tasks that read a year's input folder: the files, their fingerprint, and the validated tables."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from edustat.configuration import Configuration
from edustat.fingerprint import input_fingerprint
from edustat.ingest.discover import discover_files
from edustat.ingest.stage import stage_year
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


@task(name="read_workbooks", cache_policy=NO_CACHE)
def read_workbooks(
    input_dir: str, configuration: Configuration, previous_enrollment: pl.DataFrame
) -> tuple[StagedTables | None, pl.DataFrame]:
    """Read, normalise and validate every file of the year: the staged tables and every problem found."""
    staged, issues = stage_year(
        Path(input_dir), configuration.regions, configuration.rules, previous_enrollment=previous_enrollment
    )
    get_run_logger().info("%d problems found", issues.height)
    return staged, issues
