"""Processes of this host, as edustat asks after them (a run's loader, the background Prefect server)."""

from __future__ import annotations

import os
import socket
from pathlib import Path


def is_process_alive(pid: int) -> bool:
    """True when a process with this pid exists on this host (and is not a zombie)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OSError, OverflowError):
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def is_gone_from_this_host(host: str | None, pid: int | None) -> bool:
    """True when ``pid`` was a process of this host (``host`` is its name) and no longer runs; a process of another host cannot be probed (False)."""
    return host == socket.gethostname() and pid is not None and not is_process_alive(pid)


def is_run_gone(host: str | None, pid: int | None, status: str | None) -> bool:
    """Whether a run (one process) is known to be over: its process is gone from this host, or its etl_run ``status`` (None: unknown) is no longer 'running'."""
    return is_gone_from_this_host(host, pid) or (status is not None and status != "running")
