"""The benchmark's smoke version: a few thousand schools, one run of each phase, so that it cannot rot."""

from __future__ import annotations

import hashlib
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


def _cached_baseline_env(data: Path) -> None:
    """Put the naive baseline's environment (benchmarks/baseline_env.py) below ``data`` as a link to one made once per uv.lock.

    Made from the lockfile's `baseline` group, the environment only changes with uv.lock: it is kept in the user's
    cache folder under the lockfile's hash and Python's version, so a run of the smoke test no longer installs pandas.
    """
    from benchmarks.baseline_env import ENV_DIR, baseline_python

    lock = hashlib.sha256((ROOT / "uv.lock").read_bytes()).hexdigest()[:16]
    cache_root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    cached = cache_root / "edustat" / "benchmark-baseline" / f"{lock}-py{sys.version_info.major}.{sys.version_info.minor}"
    cached.mkdir(parents=True, exist_ok=True)
    baseline_python(cached)  # made on first use, then reused
    data.mkdir(parents=True, exist_ok=True)
    (data / ENV_DIR).symlink_to(cached / ENV_DIR, target_is_directory=True)


def test_benchmark_runs_end_to_end_and_writes_every_key(tmp_path: Path, prefect_api_url: str) -> None:
    _cached_baseline_env(tmp_path / "data")
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
