"""The background Prefect server: a user's PREFECT_API_URL wins, a stale record is replaced, `edustat server` manages it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from runtime import local_server


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_user_set_api_url_is_used_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")  # nothing listens there: it must not even be probed
    assert local_server.use_local_server() == "http://127.0.0.1:9/api"
    assert not local_server.record_path(tmp_path).exists()


def test_a_record_whose_process_is_gone_is_not_usable(tmp_path: Path) -> None:
    record = local_server.ServerRecord(pid=_dead_pid(), port=9, api_url="http://127.0.0.1:9/api", started_at=0.0)
    local_server.record_path(tmp_path).write_text(json.dumps(record.__dict__))
    assert local_server.read_record(tmp_path) == record
    assert not local_server.is_usable(record)


def test_an_unreadable_record_counts_as_none(tmp_path: Path) -> None:
    local_server.record_path(tmp_path).write_text("{not json")
    assert local_server.read_record(tmp_path) is None


def _edustat(home: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in __import__("os").environ.items() if k != "PREFECT_API_URL"} | {"PREFECT_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "edustat.cli", *argv], capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.system
def test_a_stale_record_is_replaced_by_a_running_server_that_is_then_reused_and_stopped(tmp_path: Path) -> None:
    stale = local_server.ServerRecord(pid=_dead_pid(), port=local_server.free_port(), api_url="http://127.0.0.1:9/api", started_at=0.0)
    local_server.record_path(tmp_path).write_text(json.dumps(stale.__dict__))
    assert _edustat(tmp_path, "server", "status").returncode == 1
    try:
        started = local_server.ensure_server(tmp_path)
        assert started.pid != stale.pid
        assert local_server.is_answering(started.api_url)
        assert local_server.read_record(tmp_path) == started
        # A second command reuses it rather than starting another.
        assert local_server.ensure_server(tmp_path) == started
        status = _edustat(tmp_path, "server", "status")
        assert status.returncode == 0 and started.api_url in status.stdout
    finally:
        stopped = _edustat(tmp_path, "server", "stop")
    assert stopped.returncode == 0
    assert not local_server.is_process_alive(started.pid)
    assert local_server.read_record(tmp_path) is None
    assert _edustat(tmp_path, "server", "stop").returncode == 1
