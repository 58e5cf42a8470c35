"""Keep Prefect's console output to warnings, with no analytics, before Prefect is imported."""

from __future__ import annotations

import logging
import os

_DEFAULTS = {
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LOG_PRINTS": "false",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    # Prefect's 20 s default is missed by a first start on a busy 2-core machine with a fresh environment.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300",
}


def quiet_prefect() -> None:
    """Default Prefect's environment to quiet; a user's own PREFECT_* settings still win."""
    for key, value in _DEFAULTS.items():
        os.environ.setdefault(key, value)


class _NoFailuresOnTheTerminal(logging.Filter):
    """Drops Prefect's error records (task and flow failures with their tracebacks) from the terminal only."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name.startswith("prefect") and (record.levelno >= logging.ERROR or record.exc_info))


def keep_failures_off_the_terminal() -> None:
    """After Prefect is imported: its failure records (with tracebacks) reach the Prefect run's log, not the terminal.

    edustat prints one sentence for a failed run itself; the tracebacks stay in the run's log (the
    API handler is untouched) for a maintainer. EDUSTAT_DEBUG=1 shows them on the terminal too.
    """
    if os.environ.get("EDUSTAT_DEBUG") == "1":
        return
    # A log record that cannot be sent (a Prefect server whose disk is full answers 500) is not the user's business:
    # Prefect's log worker, like the standard handlers, prints such errors only while logging.raiseExceptions is set.
    logging.raiseExceptions = False
    from prefect.logging.handlers import PrefectConsoleHandler

    for handler in logging.getLogger().handlers:
        if isinstance(handler, PrefectConsoleHandler) and not any(isinstance(f, _NoFailuresOnTheTerminal) for f in handler.filters):
            handler.addFilter(_NoFailuresOnTheTerminal())
