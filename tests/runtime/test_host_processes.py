"""Whether a run's process is known to be over: gone from this host, or its etl_run row no longer 'running'."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from runtime.host_processes import is_gone_from_this_host, is_run_gone


def _dead_pid() -> int:
    """The pid of a process that has ended and been reaped."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_process_of_this_host_is_gone_once_it_ended() -> None:
    here = socket.gethostname()
    assert not is_gone_from_this_host(here, os.getpid())
    assert is_gone_from_this_host(here, _dead_pid())
    assert not is_gone_from_this_host("another-host", _dead_pid())  # cannot be probed from here
    assert not is_gone_from_this_host(here, None)


def test_a_run_is_over_when_its_process_is_gone_or_its_row_says_so() -> None:
    here = socket.gethostname()
    assert not is_run_gone(here, os.getpid(), "running")
    assert not is_run_gone(here, os.getpid(), None)
    assert is_run_gone(here, _dead_pid(), "running")  # the row has not been told yet
    assert is_run_gone("another-host", 1, "failed")
    assert not is_run_gone("another-host", 1, "running")
    assert not is_run_gone("another-host", 1, None)
