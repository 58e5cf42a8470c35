"""A parse worker that dies takes only its file down: that file becomes an error, the others of its batch are read."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from crashing_reader import read_or_abort
from ingest_builders import valid_sheets, write_workbook

from edustat.ingest.files import read_and_normalize_files
from edustat.ingest.pooled import read_in_pool
from schemas.rules import load_rules

RULES = load_rules()


def test_a_file_whose_worker_dies_is_that_files_error_and_the_rest_is_read(tmp_path: Path) -> None:
    good = write_workbook(tmp_path / "622922.xlsx", valid_sheets())
    crash = tmp_path / "crash_622921.xlsx"
    crash.write_bytes(good.read_bytes())

    result = read_in_pool(1, [good, crash], tmp_path, RULES, reader=read_or_abort).unpack()

    errors = result.issues.filter(pl.col("severity") == "error")
    assert errors.select("source_file", "rule").rows() == [("crash_622921.xlsx", "reader_crashed")]
    alone = read_and_normalize_files([good], tmp_path, RULES)
    # The surviving file's rows are exactly those it gives when read by itself.
    assert set(result.tables) == set(alone.tables)
    for table, frame in alone.tables.items():
        assert result.tables[table].equals(frame), table


def test_the_pool_works_again_after_a_worker_died(tmp_path: Path) -> None:
    good = write_workbook(tmp_path / "622922.xlsx", valid_sheets())
    crash = tmp_path / "crash.xlsx"
    crash.write_bytes(good.read_bytes())
    read_in_pool(1, [crash], tmp_path, RULES, reader=read_or_abort)

    again = read_in_pool(1, [good], tmp_path, RULES, reader=read_or_abort).unpack()

    assert again.issues.filter(pl.col("severity") == "error").is_empty()
    assert again.tables["schools"].height == 2
