"""Helpers for the rerun, correction and fault tests: one loaded warehouse per session, copied per test; CSV edits; queries; a paused `edustat run`."""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import polars as pl
import pytest
import sqlalchemy as sa

EDUSTAT = str(Path(sys.executable).with_name("edustat"))
COUNTY = "622926"
COUNTY_DIR = "622926_东乡族自治县"
"""The sample writes this county as GB18030 CSV files, one per table: easy to correct by hand in a test."""
SCHOOL = "2162007001"
CSV_ENCODING = "gb18030"


def base_warehouse(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite warehouse with the sample's 2019 and 2020 loaded by the flow, built once per session and its workers (read-only: copy it)."""
    from tests.conftest import built_once

    return built_once(tmp_path_factory, "base", lambda folder: load_sample_years(f"sqlite:///{folder / 'base.db'}", sample_dir)) / "base.db"


def load_sample_years(url: str, sample_dir: Path, years: tuple[int, ...] = (2019, 2020)) -> None:
    """The sample's ``years`` loaded by the flow into the warehouse at ``url``, in order: each run succeeds without an error."""
    from flows.yearly import yearly_flow
    from warehouse.engine import dispose_engines

    with mock.patch.dict(os.environ, {"EDUSTAT_WAREHOUSE_URL": url}):
        for year in years:
            outcome = yearly_flow(year=year, input_dir=str(sample_dir / str(year)), reason="first load")
            assert outcome.status == "succeeded", outcome.message
            assert outcome.error_count == 0
    dispose_engines()


def copy_warehouse(source: Path, target: Path) -> str:
    """A private copy of a SQLite warehouse (WAL included, through SQLite's backup API); returns its URL."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return f"sqlite:///{target}"


def copy_year(sample_dir: Path, year: int, root: Path) -> Path:
    """A writable copy of the sample's year folder below ``root``."""
    target = root / f"input_{year}"
    shutil.copytree(sample_dir / str(year), target)
    return target


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a sample CSV, keyed by its Chinese headers."""
    return list(csv.DictReader(io.StringIO(path.read_text(encoding=CSV_ENCODING))))


def add_to_cell(path: Path, school_code: str, stage_zh: str | None, header: str, amount: float) -> str:
    """Add ``amount`` to one cell of a sample CSV (the row of ``school_code`` and ``stage_zh``); returns the old text."""
    rows = read_rows(path)
    matches = [r for r in rows if r["学校标识码"] == school_code and (stage_zh is None or r["学段"] == stage_zh)]
    assert len(matches) == 1, f"{path.name}: {len(matches)} rows of {school_code} {stage_zh}"
    old = matches[0][header]
    new = float(old) + amount
    matches[0][header] = str(int(new)) if new.is_integer() and "." not in old else f"{new:.2f}"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(CSV_ENCODING))
    return old


def query(url: str, sql: str) -> pl.DataFrame:
    """A query's rows, on a throwaway engine (so no connection outlives the test)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return pl.read_database(sa.text(sql), connection)
    finally:
        engine.dispose()


CURRENT_SQL = (
    "SELECT year, region_code, indicator_code, value, numerator, denominator, run_id FROM indicator_value "
    "WHERE is_current ORDER BY year, region_code, indicator_code"
)
DUPLICATES_SQL = (
    "SELECT year, region_code, indicator_code, COUNT(*) AS n FROM indicator_value WHERE is_current "
    "GROUP BY year, region_code, indicator_code HAVING COUNT(*) > 1"
)
SCHOOL_SQL = "SELECT year, COUNT(*) AS n, SUM(students) AS students FROM enrollment GROUP BY year ORDER BY year"


def snapshot(url: str) -> dict[str, pl.DataFrame]:
    """What a killed load must not change: the current values and the stored school tables' totals."""
    return {"current": query(url, CURRENT_SQL), "enrollment": query(url, SCHOOL_SQL)}


class PausedRun:
    """`edustat run` in its own process, stopped inside the load at a named pause point (runtime/pause_points.py)."""

    def __init__(self, year: int, input_dir: Path, point: str, folder: Path, env: dict[str, str]) -> None:
        self.year, self.point, self.folder = year, point, folder
        folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [EDUSTAT, "run", "--year", str(year), "--input", str(input_dir), "--reason", f"paused at {point}"],
            env={**os.environ, **env, "EDUSTAT_TEST_PAUSE_AT": point, "EDUSTAT_TEST_PAUSE_DIR": str(folder)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def has_paused(self) -> bool:
        """Whether the load is at its pause point; fails with the process's output if it ended instead."""
        if (self.folder / f"{self.point}.reached").exists():
            return True
        if self.process.poll() is not None:
            raise AssertionError(f"edustat run ended before {self.point}: {self.process.stdout.read()}")  # type: ignore[union-attr]
        return False

    def wait_until_paused(self, timeout_s: float = 120) -> None:
        """Block until the load reached its pause point."""
        deadline = time.monotonic() + timeout_s
        while not self.has_paused():
            assert time.monotonic() < deadline, f"edustat run did not reach {self.point} in {timeout_s} s"
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL, then reap the process so that its pid is gone (a zombie would still look alive)."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)
        self.process.stdout.close()  # type: ignore[union-attr]

    def release(self) -> None:
        """Let the load go on from its pause point."""
        (self.folder / f"{self.point}.release").write_text("go", encoding="utf-8")

    def finish(self) -> str:
        """Release the load and wait for the process to end; returns what it printed."""
        self.release()
        output, _ = self.process.communicate(timeout=120)
        return output


def free_year_slots(year: int) -> None:
    """Give back the Prefect slots a killed loader held, as the server does when its lease runs out (after about a minute)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitUpdate

    from runtime.year_slot import year_limit_names

    with get_client(sync_client=True) as client:
        for name in year_limit_names(year):
            client.update_global_concurrency_limit(name, GlobalConcurrencyLimitUpdate(active_slots=0))


def edit_first_cell(path: Path, sheet_name: str, header: str, edit: Callable[[object], object]) -> str:
    """Replace the cell under ``header`` in the first data row of ``sheet_name`` by ``edit(old value)``; returns its reference (e.g. "B4")."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book[sheet_name]
    for row in sheet.iter_rows(min_row=1, max_row=10):
        headers = [str(cell.value or "") for cell in row]
        if any(h.startswith(header) for h in headers):
            column = next(i for i, h in enumerate(headers) if h.startswith(header))
            cell = sheet.cell(row=row[0].row + 1, column=column + 1)
            cell.value = edit(cell.value)
            book.save(path)
            return cell.coordinate
    raise AssertionError(f"no {header} in {sheet_name} of {path.name}")
