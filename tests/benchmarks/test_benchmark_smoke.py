"""The benchmark's smoke version: a few thousand schools, one run of each phase, so that it cannot rot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.system

REQUIRED_KEYS = (
    "schools", "parse_only_s", "full_run_sqlite_s", "full_run_postgres_s", "rerun_one_county_s", "peak_rss_mb",
    "baseline_s", "baseline_schools", "prefect_overhead_s",
)
ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_runs_end_to_end_and_writes_every_key(tmp_path: Path, prefect_api_url: str) -> None:
    out = tmp_path / "bench.json"
    command = [
        sys.executable, "-m", "benchmarks", "--schools", "2000", "--runs", "1", "--baseline-schools", "400",
        "--data", str(tmp_path / "data"), "--json", str(out),
    ]
    env = os.environ | {"PREFECT_API_URL": prefect_api_url}
    finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    result = json.loads(out.read_text())
    for key in REQUIRED_KEYS:
        assert key in result, key
    measured = [key for key in REQUIRED_KEYS if key != "full_run_postgres_s" or os.environ.get("EDUSTAT_TEST_POSTGRES_URL")]
    assert all(isinstance(result[key], int | float) and result[key] > 0 for key in measured), result
    # about 2,000 schools were asked for: 11 counties of about 189 schools, thinned to about 2,000
    assert 1500 <= result["schools"] <= 2500
    assert 0 < result["baseline_schools"] <= result["schools"]
    assert result["values_check"]["agree"], result["values_check"]
    assert set(result["values_check"]["levels"]) == {"province", "prefecture", "county"}
    assert result["cores"] >= 1
    assert "full_run_sqlite_s" in finished.stdout and "parse_only_s" in finished.stdout
