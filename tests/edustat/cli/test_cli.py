"""The `edustat` command as a user runs it: a separate process, its exit codes and what it prints."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.cli_runner import run_edustat

if TYPE_CHECKING:
    from tests.edustat.cli.sample_warehouse import Sample2020

EDUSTAT = str(Path(sys.executable).with_name("edustat"))
COMMANDS = ["run", "validate", "sample", "template", "indicators", "history", "query", "report", "serve", "demo", "trace"]


def edustat_process(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `edustat` script as a process of its own (exit status as the shell sees it, a fresh interpreter)."""
    return subprocess.run(
        [EDUSTAT, *args], cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=600
    )


edustat = run_edustat
"""Most command-line tests run `edustat` in process (tests/cli_runner.py); the same exit code and output, without the start-up."""


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, tmp_path: Path) -> None:
    result = edustat(command, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "--" in result.stdout


def test_wrong_usage_exits_2(tmp_path: Path) -> None:
    assert edustat_process("run", "--input", str(tmp_path), cwd=tmp_path).returncode == 2  # no --year
    assert edustat_process("run", "--year", "2020", "--input", str(tmp_path / "missing"), cwd=tmp_path).returncode == 2


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_sample_run_indicators(tmp_path: Path, sample_2020: Sample2020) -> None:
    assert edustat("sample", "--out", "data", "--years", "2019", "2020", cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["2019", "2020"]
    # The same seed writes the same bytes: the session's 2020, which `edustat run` loaded once (sample_2020), is this 2020,
    # so the first load's outcome is read from a copy of that load instead of loading it again.
    assert _files(tmp_path / "data" / "2020") == _files(sample_2020.complete)
    with sample_2020.loaded("sqlite", tmp_path) as loaded:
        assert "succeeded" in loaded.first_output and "Traceback" not in loaded.first_output
        env = loaded.env
        again = edustat("run", "--year", "2020", "--input", str(loaded.complete), cwd=tmp_path, env=env)
        assert again.returncode == 0 and "unchanged" in again.stdout
        exported = edustat("indicators", "--year", "2020", "--level", "prefecture", "--format", "csv", cwd=tmp_path, env=env)
        assert exported.returncode == 0, exported.stderr
        rows = list(csv.DictReader(io.StringIO(exported.stdout)))
        ger = next(r for r in rows if r["indicator_code"] == "preschool_ger")
        assert round(float(ger["value"]), 2) == 95.42  # the figure the 2021 report publishes
        assert ger["indicator_name_zh"] == "学前三年毛入园率"
        # The schools (and county populations) behind that figure add up to it.
        traced = edustat("trace", "--year", "2020", "--indicator", "preschool_ger", "--format", "csv", cwd=tmp_path, env=env)
    assert traced.returncode == 0, traced.stderr
    behind = list(csv.DictReader(io.StringIO(traced.stdout)))
    children = sum(float(r["numerator"]) for r in behind if r["numerator"])
    population = sum(float(r["denominator"]) for r in behind if r["denominator"])
    assert round(100 * children / population, 2) == 95.42
    assert {r["county_code"] for r in behind} == {"622901", "622921", "622922", "622923", "622924", "622925", "622926", "622927"}
    assert "they add up" in traced.stderr


def test_rejected_run_exits_1_with_location(tmp_path: Path, prefect_api_url: str) -> None:
    env = {"PREFECT_API_URL": prefect_api_url, "EDUSTAT_WAREHOUSE_URL": f"sqlite:///{tmp_path / 'w.db'}"}
    year_dir = tmp_path / "2020"
    year_dir.mkdir()
    (year_dir / "人口.csv").write_text("行政区划代码,3-5岁人口,6-11岁人口,12-14岁人口,15-17岁人口\n622901,abc,1,1,1\n", encoding="utf-8")
    result = edustat("run", "--year", "2020", "--input", str(year_dir), cwd=tmp_path, env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert "人口.csv" in output and "row 2" in output and "3-5岁人口" in output
