"""Fixtures of the edustat package's tests: `edustat demo` run once per session."""

from __future__ import annotations

import pytest

from tests.conftest import built_once
from tests.edustat.demo_run import DemoRun, read_demo, run_demo


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory, prefect_api_url: str) -> DemoRun:
    """The README's `edustat demo`, run once in process (by one worker of the session) beside a user's own warehouse and data (read it; copy it to change it)."""
    folder = built_once(tmp_path_factory, "demo", lambda root: run_demo(root / "user", prefect_api_url))
    return read_demo(folder / "user", prefect_api_url)
