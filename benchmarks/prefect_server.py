"""A Prefect server for the benchmark's runs: the one PREFECT_API_URL names, or edustat's background server in a temporary home."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from runtime.local_server import ensure_server, stop_server


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
    with tempfile.TemporaryDirectory(prefix="edustat-bench-prefect-") as home:
        try:
            yield ensure_server(Path(home)).api_url
        finally:
            stop_server(Path(home))
