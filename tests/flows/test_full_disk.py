"""A full disk under the warehouse or the Prefect home: one sentence naming the place and the fix, exit 3, nothing lost, the next run right.

The disk is a small tmpfs mounted for the test (root only: elsewhere the tests are skipped with the
reason printed), filled with a file to a few kilobytes of free space; the run then hits the full disk
at whichever statement needs the space. Freeing the space (deleting the file) lets the next run load.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal
from rerun_data import COUNTY_DIR, SCHOOL, add_to_cell, base_warehouse, copy_warehouse, copy_year, query, snapshot

from tests.cli_runner import run_edustat

pytestmark = pytest.mark.system

WAREHOUSE_FULL = "is full / 数据仓库"
FIX = "free space on it (or move the warehouse with --warehouse / EDUSTAT_WAREHOUSE_URL) and run again"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MiB tmpfs of its own, unmounted afterwards; skipped (reason printed) where it cannot be mounted."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a full disk needs a tmpfs of its own: mounting one needs root and mount(8)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}): the full-disk tests need one")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave_bytes: int) -> Path:
    """Fill ``disk`` with one file until ``leave_bytes`` are free; returns the file (delete it to free the space)."""
    filler = disk / f"filler-{uuid.uuid4().hex[:6]}"
    free = shutil.disk_usage(disk).free
    with filler.open("wb") as out:
        out.write(b"\0" * max(0, free - leave_bytes))
    return filler


@pytest.mark.parametrize("leave_kib", [8, 96], ids=lambda kib: f"{kib}KiB-free")
def test_a_full_disk_under_the_warehouse_is_named_and_loses_nothing(
    leave_kib: int,
    small_disk: Path,
    sample_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
    prefect_api_url: str,
) -> None:
    # A rerun of 2019 over the loaded sample rewrites year 2019 and the growth of 2020: the most writing a correction does.
    # 8 KiB free: SQLite cannot even open its write-ahead log (a "disk I/O error"); 96 KiB: the load itself runs out.
    year = copy_year(sample_dir, 2019, tmp_path)
    add_to_cell(year / COUNTY_DIR / "在校生.csv", SCHOOL, "学前", "在校生数", 10)
    url = copy_warehouse(base_warehouse(sample_dir, tmp_path_factory), small_disk / "warehouse.db")
    before = snapshot(url)
    filler = fill(small_disk, leave_kib * 1024)
    env = {"PREFECT_API_URL": prefect_api_url, "EDUSTAT_WAREHOUSE_URL": url}

    full = run_edustat("run", "--year", "2019", "--input", str(year), "--reason", "on a full disk", cwd=tmp_path, env=env)
    print(f"{leave_kib} KiB free: exit {full.returncode}: {full.stdout[-400:]} {full.stderr[-400:]}")
    filler.unlink()

    output = full.stdout + full.stderr
    if full.returncode == 0:
        pytest.skip(f"the rerun fitted in {leave_kib} KiB: no full disk to report at this size")
    assert full.returncode == 3, output
    assert f"the disk holding the warehouse {small_disk / 'warehouse.db'} {WAREHOUSE_FULL}" in output, output
    assert FIX in output
    assert "previous version stays current" in output
    assert "Traceback" not in output and "savepoint" not in output, output
    after = snapshot(url)
    assert_frame_equal(after["current"], before["current"])
    assert_frame_equal(after["enrollment"], before["enrollment"])
    # The run's own row is failed, or (when not even that could be written) marked failed by the next run.
    assert query(url, "SELECT status FROM etl_run WHERE reason = 'on a full disk' AND status <> 'failed'").is_empty()

    again = run_edustat("run", "--year", "2019", "--input", str(year), "--reason", "space freed", cwd=tmp_path, env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert query(url, "SELECT status FROM etl_run WHERE reason = 'on a full disk'")["status"].to_list() in ([], ["failed"])


EDUSTAT = str(Path(sys.executable).with_name("edustat"))


def test_a_full_disk_under_the_prefect_home_is_named_and_loses_nothing(
    small_disk: Path, sample_dir: Path, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    """The background Prefect server of a Prefect home on the small disk: its database cannot grow, every write answers HTTP 500."""
    from runtime.local_server import stop_server

    home = small_disk / "prefect-home"
    url = copy_warehouse(base_warehouse(sample_dir, tmp_path_factory), tmp_path / "warehouse.db")
    year = copy_year(sample_dir, 2019, tmp_path)
    add_to_cell(year / COUNTY_DIR / "在校生.csv", SCHOOL, "学前", "在校生数", 10)
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    env |= {"PREFECT_HOME": str(home), "EDUSTAT_WAREHOUSE_URL": url}

    def run(input_dir: Path, year_: int, reason: str) -> subprocess.CompletedProcess[str]:
        command = [EDUSTAT, "run", "--year", str(year_), "--input", str(input_dir), "--reason", reason]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)

    try:
        # The first run starts the home's background server (its database on the small disk); 2020 is unchanged.
        first = run(sample_dir / "2020", 2020, "start the server")
        assert first.returncode == 0, first.stdout + first.stderr
        before = snapshot(url)
        filler = fill(small_disk, 8 * 1024)
        full = run(year, 2019, "on a full disk")
        filler.unlink()
        output = full.stdout + full.stderr
        print(f"exit {full.returncode}: {output[-600:]}")
        assert full.returncode == 3, output
        assert f"the disk holding the Prefect home {home} is full" in output
        assert "free space on it (or point PREFECT_HOME elsewhere) and run again" in output
        assert "Traceback" not in output and "Error logging to API" not in output and "500" not in output, output
        after = snapshot(url)
        assert after["current"].equals(before["current"]) and after["enrollment"].equals(before["enrollment"])

        again = run(year, 2019, "space freed")
        assert again.returncode == 0, again.stdout + again.stderr
    finally:
        stop_server(home)
