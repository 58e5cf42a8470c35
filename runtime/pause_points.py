"""Named pause points inside a run, for the fault-injection tests; a no-op unless EDUSTAT_TEST_PAUSE_AT names the point.

A test starts `edustat run` with EDUSTAT_TEST_PAUSE_AT=<point> and EDUSTAT_TEST_PAUSE_DIR=<folder>;
the load writes ``<folder>/<point>.reached`` when it gets there (inside its transaction, holding
the year's lock) and waits until ``<folder>/<point>.release`` exists. The test then kills the
process (SIGKILL), interrupts it (SIGINT, SIGTERM) or starts a competing run, and knows exactly
where the first one stands. A process told to stop (runtime.interrupt) leaves its pause at once.

The points, in run order: ``parsing`` (a file about to be parsed, in a parse worker process or thread),
``after_tables`` (school tables replaced), ``after_values`` (new version inserted and old flipped),
``after_growth`` (year + 1's growth refreshed), ``before_commit`` (run marked succeeded); the last four
inside the load's transaction.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from runtime.interrupt import is_stopping

PAUSE_AT_ENV = "EDUSTAT_TEST_PAUSE_AT"
PAUSE_DIR_ENV = "EDUSTAT_TEST_PAUSE_DIR"

MAX_PAUSE_S = 300.0
"""A forgotten release never hangs a process for ever."""

POLL_S = 0.02


def pause_point(name: str) -> None:
    """Stop here when EDUSTAT_TEST_PAUSE_AT is ``name``: announce it with ``<name>.reached``, wait for ``<name>.release``."""
    if os.environ.get(PAUSE_AT_ENV) != name:
        return
    folder = Path(os.environ.get(PAUSE_DIR_ENV, "."))
    (folder / f"{name}.reached").write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + MAX_PAUSE_S
    while not (folder / f"{name}.release").exists() and time.monotonic() < deadline and not is_stopping():
        time.sleep(POLL_S)
