"""A Prefect server for the benchmark's runs: the one PREFECT_API_URL names, or a temporary one started for them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STARTUP_TIMEOUT_S = 180.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _is_healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def prefect_api() -> Iterator[str]:
    """The API URL the measured runs talk to; a server started here is stopped on exit.

    The runs are measured against a running server, as in production (`edustat serve` needs one):
    otherwise every run would also pay for starting and stopping a temporary server of its own.
    """
    existing = os.environ.get("PREFECT_API_URL")
    if existing:
        yield existing
        return
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    with tempfile.TemporaryDirectory(prefix="edustat-bench-prefect-") as home:
        env = os.environ | {"PREFECT_HOME": home, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "WARNING"}
        log = open(Path(home) / "server.log", "w")  # noqa: SIM115 - closed below
        server = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while not _is_healthy(api_url):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the Prefect server did not start; see {home}/server.log")
                time.sleep(0.5)
            yield api_url
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()
