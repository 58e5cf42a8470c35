"""Ctrl-C and SIGTERM as edustat answers them: the exception, its sentence and exit code; a second signal during cleanup ends the process at once."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest

from runtime.interrupt import Interrupted, interruption


def test_the_exit_code_is_128_plus_the_signal() -> None:
    # The shell's convention: SIGINT is 2, SIGTERM is 15.
    assert Interrupted(signal.SIGINT).exit_code == 130
    assert Interrupted(signal.SIGTERM).exit_code == 143
    assert Interrupted(signal.SIGTERM).code == 143  # an uncaught one ends the process with it, without a traceback


def test_the_sentence_names_why_the_run_and_what_stays_current() -> None:
    stop = Interrupted(signal.SIGINT, year=2020, run_id=7)
    assert stop.sentence() == (
        "interrupted by the user (Ctrl-C) / 已被用户中断; run 7 marked failed / 运行 7 已记为失败; "
        "the previous version of 2020 stays current / 2020 年的上一版本仍为当前版本"
    )
    assert Interrupted(signal.SIGTERM).sentence() == "stopped by a signal (SIGTERM) / 已被终止信号停止"


def test_ctrl_c_and_prefects_termination_signal_are_interruptions_and_nothing_else_is() -> None:
    from prefect.exceptions import TerminationSignal

    assert interruption(KeyboardInterrupt()).signum == signal.SIGINT  # type: ignore[union-attr]
    assert interruption(TerminationSignal(signal.SIGTERM)).signum == signal.SIGTERM  # type: ignore[union-attr]
    assert interruption(ValueError("x")) is None
    assert interruption(SystemExit(3)) is None


SCRIPT = textwrap.dedent(
    """
    import os, signal, sys, time
    from runtime import interrupt
    interrupt.install()
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
    except interrupt.Interrupted as stop:
        print("first:", stop.exit_code, flush=True)
        # Cleaning up, as the flow does after the first signal: a second Ctrl-C ends the process now.
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
        print("cleanup went on", flush=True)
    """
)


@pytest.mark.system
def test_a_second_ctrl_c_during_cleanup_ends_the_process_at_once_without_a_traceback() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60)
    assert done.returncode == 130, done.stdout + done.stderr
    assert done.stdout == "first: 130\n"
    assert "stopped at once / 已立即停止" in done.stderr
    assert "Traceback" not in done.stderr
