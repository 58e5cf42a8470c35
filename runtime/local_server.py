"""One background Prefect server per Prefect home, started on first need and reused by every later `edustat` command.

Without it each process that runs a flow starts Prefect's temporary server of its own (8–10 s here,
and on a busy machine with a fresh virtual environment it may miss Prefect's 20 s start-up limit).
The record of the server (pid, port, API URL) is a small JSON file under the Prefect home; a
record whose process is gone or whose server no longer answers is replaced. A ``PREFECT_API_URL``
set by the user always wins and is used as it is. Nothing here imports Prefect.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from runtime.host_processes import is_process_alive

API_URL_ENV = "PREFECT_API_URL"
STARTUP_TIMEOUT_ENV = "EDUSTAT_SERVER_STARTUP_TIMEOUT_S"
DEFAULT_STARTUP_TIMEOUT_S = 300.0
"""Generous: a first start on a busy 2-core machine compiles bytecode and migrates an empty database."""

RECORD_NAME = "edustat-server.json"
LOG_NAME = "edustat-server.log"
LOCK_NAME = "edustat-server.lock"


class ServerError(RuntimeError):
    """The local Prefect server could not be started or reached; the message says what to do."""


@dataclass(frozen=True)
class ServerRecord:
    """The background server of one Prefect home: its process, port and API URL."""

    pid: int
    port: int
    api_url: str
    started_at: float


def prefect_home() -> Path:
    """The Prefect home the way Prefect resolves it: PREFECT_HOME, else ~/.prefect."""
    return Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()


def record_path(home: Path | None = None) -> Path:
    """Where the background server's record lives."""
    return (home or prefect_home()) / RECORD_NAME


def read_record(home: Path | None = None) -> ServerRecord | None:
    """The recorded server, or None when there is no readable record."""
    try:
        return ServerRecord(**json.loads(record_path(home).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def is_answering(api_url: str, timeout_s: float = 2.0) -> bool:
    """True when the Prefect API at ``api_url`` answers its health check."""
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=timeout_s) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def is_usable(record: ServerRecord | None) -> bool:
    """A record is usable while its process lives and its server answers."""
    return record is not None and is_process_alive(record.pid) and is_answering(record.api_url)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def startup_timeout_s() -> float:
    """How long a start may take: EDUSTAT_SERVER_STARTUP_TIMEOUT_S, else the generous default."""
    try:
        return float(os.environ.get(STARTUP_TIMEOUT_ENV, DEFAULT_STARTUP_TIMEOUT_S))
    except ValueError:
        return DEFAULT_STARTUP_TIMEOUT_S


@contextmanager
def _home_lock(home: Path) -> Iterator[None]:
    # Two commands starting together must agree on one server, not start two.
    home.mkdir(parents=True, exist_ok=True)
    with open(home / LOCK_NAME, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _prefect_command() -> list[str]:
    return [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1"]


def start_server(home: Path) -> ServerRecord:
    """Start a detached Prefect server for ``home`` on a free port and wait until it answers."""
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    environment = {**os.environ, "PREFECT_HOME": str(home)}
    environment.pop(API_URL_ENV, None)
    with open(home / LOG_NAME, "ab") as log:
        process = subprocess.Popen(
            [*_prefect_command(), "--port", str(port)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=environment,
            start_new_session=True,  # outlives this command and its Ctrl-C
        )
    record = ServerRecord(pid=process.pid, port=port, api_url=api_url, started_at=time.time())
    deadline = time.monotonic() + startup_timeout_s()
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(
                f"the local Prefect server stopped while starting (exit {process.returncode}); see {home / LOG_NAME} / "
                f"本地 Prefect 服务启动失败, 请查看日志. Or run one yourself: `uv run prefect server start` and export {API_URL_ENV}"
            )
        if is_answering(api_url):
            record_path(home).write_text(json.dumps(asdict(record)), encoding="utf-8")
            return record
        time.sleep(0.5)
    _terminate(process.pid)
    raise ServerError(
        f"the local Prefect server did not answer within {startup_timeout_s():.0f} s (machine busy?); raise "
        f"{STARTUP_TIMEOUT_ENV}, or run `uv run prefect server start` in a terminal and export "
        f"{API_URL_ENV}=http://127.0.0.1:4200/api / 本地 Prefect 服务启动超时"
    )


def ensure_server(home: Path | None = None) -> ServerRecord:
    """The usable background server of ``home``: the recorded one while it answers, else a new one (the stale record replaced)."""
    home = home or prefect_home()
    with _home_lock(home):
        record = read_record(home)
        if is_usable(record):
            return record  # type: ignore[return-value]
        if record is not None and is_process_alive(record.pid):
            _terminate(record.pid)  # alive but not answering: a hung server would hold its database
        record_path(home).unlink(missing_ok=True)
        return start_server(home)


def use_local_server() -> str:
    """Point this process at a Prefect API: the user's PREFECT_API_URL as it is, else the background server's (started if needed)."""
    if os.environ.get(API_URL_ENV):
        return os.environ[API_URL_ENV]
    url = ensure_server().api_url
    os.environ[API_URL_ENV] = url
    return url


def stop_server(home: Path | None = None) -> ServerRecord | None:
    """Stop the recorded background server of ``home`` and remove its record; returns what was stopped (None: nothing was)."""
    home = home or prefect_home()
    with _home_lock(home):
        record = read_record(home)
        record_path(home).unlink(missing_ok=True)
        if record is None or not is_process_alive(record.pid):
            return None
        _terminate(record.pid)
        return record


def _terminate(pid: int, grace_s: float = 10.0) -> None:
    # The server runs in its own session: stop its whole process group (uvicorn and its services).
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline:
            if not is_process_alive(pid):
                return
            time.sleep(0.1)
