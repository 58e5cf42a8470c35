"""Keep Prefect's console output to warnings, with no analytics, before Prefect is imported."""

from __future__ import annotations

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
