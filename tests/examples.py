"""How many examples a Hypothesis test draws: fewer in the quick `ci` profile (the default), today's counts in `nightly`.

Choose with EDUSTAT_HYPOTHESIS_PROFILE=nightly (tests/conftest.py registers both profiles). Each property test keeps
its own nightly count, written where it is declared: ``@settings(max_examples=examples(60), ...)``.
"""

from __future__ import annotations

import os

PROFILE_ENV = "EDUSTAT_HYPOTHESIS_PROFILE"
PROFILES = ("ci", "nightly")
CI_SHARE = 5
"""The ci profile draws a fifth of the nightly count, never fewer than CI_FLOOR."""
CI_FLOOR = 10


def profile() -> str:
    """The selected profile's name; an unknown name fails at once rather than silently testing less."""
    chosen = os.environ.get(PROFILE_ENV, "ci")
    if chosen not in PROFILES:
        raise ValueError(f"{PROFILE_ENV}={chosen!r}: choose one of {', '.join(PROFILES)}")
    return chosen


def examples(nightly: int) -> int:
    """The example count under the selected profile for a test that draws ``nightly`` examples in the nightly profile."""
    return nightly if profile() == "nightly" else max(CI_FLOOR, nightly // CI_SHARE)
