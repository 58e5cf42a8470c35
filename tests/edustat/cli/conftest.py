"""Command-line fixtures: the sample's 2020 loaded once per session and warehouse kind, copied per use."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.edustat.cli.sample_warehouse import Sample2020


@pytest.fixture(scope="session")
def sample_2020(tmp_path_factory: pytest.TempPathFactory, prefect_api_url: str) -> Iterator[Sample2020]:
    """``sample_2020.loaded(kind, root)``: a private copy of a warehouse holding the sample's 2020, loaded by `edustat run`."""
    sample = Sample2020(tmp_path_factory.mktemp("sample_2020"), prefect_api_url, tmp_path_factory)
    with sample.stack:
        yield sample
