"""Flow-tier fixtures: the sample written once per session, and the Prefect harness."""

from __future__ import annotations

from pathlib import Path

import pytest

SAMPLE_YEARS = [2019, 2020]
SAMPLE_SEED = 2021


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default sample, 2019 and 2020, written once for the session (read-only for tests)."""
    from edustat.sample import write_sample

    root = tmp_path_factory.mktemp("sample")
    write_sample(root, SAMPLE_YEARS, seed=SAMPLE_SEED)
    return root


@pytest.fixture(autouse=True)
def _harness(prefect_api_url: str) -> str:
    return prefect_api_url
