"""Ctrl-C and stop signals: one exception for both, one sentence for the user, the exit code 128 + the signal's number.

The command line installs ``on_signal`` for SIGINT (Ctrl-C, sent to the terminal's whole process
group) and SIGTERM (a service manager, `timeout`, a container stop). The first signal stops the
parse workers (runtime.worker_pool) and raises ``Interrupted`` in the main thread, wherever it is;
the flow marks its run failed with the reason, and the command line sets the Prefect flow run
Failed, prints the sentence and exits. A second signal while that cleanup runs ends the process at
once (the next run of the year marks a row left 'running' failed, as after a kill).

``Interrupted`` is a SystemExit: nothing that catches Exception swallows it, an uncaught one ends
the process with its exit code and no traceback, and psycopg cancels the statement in progress on
it as on Ctrl-C (so that PostgreSQL can roll the load back at once).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from types import FrameType

SIGNAL_REASONS = {
    signal.SIGINT: "interrupted by the user (Ctrl-C) / 已被用户中断",
    signal.SIGTERM: "stopped by a signal (SIGTERM) / 已被终止信号停止",
}
"""What each signal means to the user, in both languages: the first half of the sentence and the failed run's message."""

_stopping = threading.Event()
"""Set by the first signal: parse threads stop between files, and a second signal ends the process at once."""

_first_signal = [signal.SIGINT]
"""The signal that started the stop (what a thread that stops between files reports)."""


class Interrupted(SystemExit):
    """The command was stopped by SIGINT or SIGTERM; carries the year and run it stopped (None until the flow names them)."""

    def __init__(self, signum: int, year: int | None = None, run_id: int | None = None, flow_run_id: str | None = None) -> None:
        super().__init__(128 + signum)
        self.signum = signum
        self.year = year
        self.run_id = run_id
        self.flow_run_id = flow_run_id

    @property
    def exit_code(self) -> int:
        """130 for SIGINT, 143 for SIGTERM: the shell's convention for a process ended by a signal."""
        return 128 + self.signum

    @property
    def reason(self) -> str:
        """Why the command stopped, in Chinese and English (the failed run's message)."""
        return SIGNAL_REASONS.get(self.signum, f"stopped by signal {self.signum} / 已被信号 {self.signum} 停止")

    def sentence(self) -> str:
        """The one sentence the user reads: why, which run was marked failed, and that the year's previous version stays current."""
        parts = [self.reason]
        if self.run_id is not None:
            parts.append(f"run {self.run_id} marked failed / 运行 {self.run_id} 已记为失败")
        if self.year is not None:
            parts.append(f"the previous version of {self.year} stays current / {self.year} 年的上一版本仍为当前版本")
        return "; ".join(parts)


def interruption(error: BaseException) -> Interrupted | None:
    """``error`` as an Interrupted when it is one (Ctrl-C as KeyboardInterrupt, Prefect's TerminationSignal for SIGTERM), else None."""
    if isinstance(error, Interrupted):
        return error
    if isinstance(error, KeyboardInterrupt):
        return Interrupted(signal.SIGINT)
    from prefect.exceptions import TerminationSignal

    if isinstance(error, TerminationSignal):
        return Interrupted(error.signal)
    return None


def is_stopping() -> bool:
    """Whether this process has been told to stop (work in other threads ends at its next check)."""
    return _stopping.is_set()


def stop_if_asked() -> None:
    """Raise Interrupted when this process has been told to stop: the check between two pieces of work in a thread."""
    if _stopping.is_set():
        raise Interrupted(_first_signal[0])


def begin_cleanup(signum: int = signal.SIGINT) -> None:
    """From here on the process is cleaning up after a stop: the parse workers are stopped, and another signal ends it at once.

    Called by the signal handler, and by the flow when Prefect's own SIGTERM handler saw the signal first.
    """
    if not _stopping.is_set():
        _first_signal[0] = signum
    _stopping.set()
    from runtime.worker_pool import stop_workers

    stop_workers()
    install()


def on_signal(signum: int, frame: FrameType | None) -> None:
    """The handler of SIGINT and SIGTERM in the main thread: the first raises Interrupted, a second ends the process now."""
    if _stopping.is_set():
        end_now(signum)
    begin_cleanup(signum)
    raise Interrupted(signum)


def end_now(signum: int) -> None:
    """A second signal during cleanup: one line, the exit code, no cleanup (no traceback can follow)."""
    from runtime.worker_pool import stop_workers

    stop_workers()
    reason = SIGNAL_REASONS.get(signum, f"signal {signum}")
    os.write(sys.stderr.fileno(), f"\n{reason}; stopped at once / 已立即停止\n".encode())
    os._exit(128 + signum)


def install() -> dict[int, object]:
    """Handle SIGINT and SIGTERM with ``on_signal``; returns the handlers replaced (none outside the main thread, where Python refuses).

    Called again once Polars is imported: Polars installs its own SIGINT handler with SA_RESTART
    (pola-rs/polars#21739), under which a main thread waiting on a lock (a Prefect future) never
    wakes to run Python's handler; Python's own sigaction, set here, interrupts such waits.
    """
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {signum: signal.signal(signum, on_signal) for signum in SIGNAL_REASONS}


def restore(previous: dict[int, object]) -> None:
    """Put back the handlers ``install`` replaced and forget any stop: a process that runs several commands (the tests' in-process runner) starts each afresh."""
    for signum, handler in previous.items():
        signal.signal(signum, handler)  # type: ignore[arg-type]
    _stopping.clear()
    from runtime.worker_pool import allow_workers

    allow_workers()


def record_in_prefect(stop: Interrupted) -> None:
    """Set the stopped run's Prefect flow run Failed with the sentence (Prefect itself had marked it Crashed); a server that does not answer is passed over."""
    if stop.flow_run_id is None:
        return
    try:
        from prefect.states import Failed

        from runtime.prefect_api import api_client

        with api_client() as client:
            client.set_flow_run_state(stop.flow_run_id, Failed(message=stop.sentence()), force=True)
    except Exception:  # noqa: BLE001 - the run is already failed in the warehouse; the sentence must still be printed
        pass
