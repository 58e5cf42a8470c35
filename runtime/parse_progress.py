"""Progress of the parse on the terminal and in the flow run's logs (the I/O side of runtime.progress_line)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from prefect import get_run_logger
from prefect.exceptions import MissingContextError
from prefect.logging.loggers import PrefectLogAdapter

from runtime.progress_line import progress_line

PROGRESS_LOGGER = "prefect.flow_runs.progress"
"""Below prefect.flow_runs, so lines reach the flow run's logs (API handler) and the terminal (console handler)."""

REPORT_EVERY_S = 3.0
"""Seconds between two progress lines; a parse shorter than this shows none."""


def progress_logger() -> logging.LoggerAdapter:
    """A logger at INFO whose lines reach both the terminal and the current flow run's logs.

    Prefect's own level (WARNING by default, see runtime.quiet_prefect) is left alone: only this child logger
    lets INFO through, so progress shows without every other INFO line.
    """
    logger = logging.getLogger(PROGRESS_LOGGER)
    logger.setLevel(logging.INFO)
    try:
        extra = get_run_logger().extra
    except MissingContextError:
        extra = {}
    return PrefectLogAdapter(logger, extra=dict(extra or {}))


class ParseProgress:
    """Counts parsed files and reports a progress line every REPORT_EVERY_S seconds, plus a last one when any was shown."""

    def __init__(self, total: int, clock: Callable[[], float] = time.monotonic, logger: logging.LoggerAdapter | None = None) -> None:
        self.total = total
        self.done = 0
        self.clock = clock
        self.started = clock()
        self.last_report = self.started
        self.reported = 0
        self.logger = logger or progress_logger()

    def advance(self, files: int) -> None:
        """``files`` more files are parsed; report if a line is due."""
        self.done += files
        now = self.clock()
        if now - self.last_report >= REPORT_EVERY_S and self.done < self.total:
            self._report(now)

    def finish(self) -> None:
        """The last line (how long it took), if the parse was long enough to show progress at all."""
        if self.reported:
            self._report(self.clock())

    def _report(self, now: float) -> None:
        self.logger.info(progress_line(self.done, self.total, now - self.started))
        self.last_report = now
        self.reported += 1
