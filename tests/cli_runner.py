"""`edustat` in the test's own process: Click's CliRunner isolation around the console entry point `edustat.cli.main`.

Most command-line tests need what a user sees (exit code, stdout, stderr), not a new interpreter: a process costs a
second or more of imports and Prefect start-up on a busy 2-core machine. `run_edustat` returns what
`subprocess.run` would (a CompletedProcess), so a test reads the same either way. Tests that need a real process
(its exit status as the shell sees it, signals, imports of a fresh interpreter, a fresh clone) use
`tests.edustat.cli.test_cli.edustat_process`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner


def run_edustat(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `edustat *args` in this process from ``cwd`` with ``env`` added to the environment; its exit code and output.

    The whole environment and the working directory are restored afterwards: a command that sets a variable
    (`--warehouse` sets EDUSTAT_WAREHOUSE_URL) leaves nothing behind for the next test, as a process would.
    """
    from edustat.cli import main

    saved_env, saved_cwd = dict(os.environ), Path.cwd()
    argv = [str(arg) for arg in args]
    try:
        with CliRunner().isolation(env=env) as (stdout, stderr, _):
            os.chdir(cwd)
            try:
                main(argv)
                code = 0
            except SystemExit as exit_:
                code = _exit_status(exit_.code, stderr)
            # The isolation's streams are text wrappers over these buffers: what was written without a newline-flush
            # (main's one-sentence failure uses sys.stderr.write) is only in them once flushed, as at a process's exit.
            sys.stdout.flush()
            sys.stderr.flush()
            out, err = stdout.getvalue(), stderr.getvalue()
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(["edustat", *argv], code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))


def _exit_status(code: object, stderr) -> int:  # type: ignore[no-untyped-def]
    # As the interpreter does on sys.exit: None is 0, an int is itself, anything else is printed to stderr and is 1.
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    stderr.write(f"{code}\n".encode())
    return 1
