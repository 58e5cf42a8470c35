"""Flow-tier fixtures: the sample written once per session, loaded once per warehouse kind, and the Prefect harness."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SAMPLE_YEARS = [2019, 2020]
SAMPLE_SEED = 2021


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default sample, 2019 and 2020, written once for the session and its workers (read-only for tests)."""
    from edustat.sample import write_sample

    from tests.conftest import built_once

    return built_once(tmp_path_factory, "sample", lambda root: write_sample(root, SAMPLE_YEARS, seed=SAMPLE_SEED))


@dataclass
class LoadedSample:
    """The sample's years loaded by the flow once per warehouse kind and years (a template), copied for each user."""

    sample_dir: Path
    root: Path
    factory: pytest.TempPathFactory
    stack: ExitStack = field(default_factory=ExitStack)
    templates: dict[tuple[str, tuple[int, ...]], str] = field(default_factory=dict)

    def template(self, kind: str, years: tuple[int, ...] = (2019, 2020)) -> str:
        """The URL of the template of ``kind`` ("sqlite" or a PostgreSQL URL) with ``years`` loaded: read it, never write it."""
        key = (kind, years)
        if key not in self.templates:
            from rerun_data import base_warehouse, load_sample_years

            if key == ("sqlite", (2019, 2020)):
                # One SQLite load per session, shared with the rerun tests' base warehouse.
                self.templates[key] = f"sqlite:///{base_warehouse(self.sample_dir, self.factory)}"
            else:
                from tests.conftest import template_warehouse

                directory = self.root / f"template-{len(self.templates)}"
                directory.mkdir()
                url = self.stack.enter_context(template_warehouse(kind, directory))
                load_sample_years(url, self.sample_dir, years)
                self.templates[key] = url
        return self.templates[key]

    @contextmanager
    def copy(self, kind: str, directory: Path, years: tuple[int, ...] = (2019, 2020)) -> Iterator[str]:
        """A private, writable copy of the warehouse of ``kind`` with ``years`` loaded, below ``directory``; its URL."""
        from tests.conftest import copied_warehouse

        with copied_warehouse(self.template(kind, years), directory) as url:
            yield url


@pytest.fixture(scope="session")
def loaded_sample(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory, prefect_api_url: str) -> Iterator[LoadedSample]:
    """``loaded_sample.copy(kind, directory)``: a private warehouse holding the sample's 2019 and 2020 as the flow loads them."""
    loaded = LoadedSample(sample_dir, tmp_path_factory.mktemp("loaded_sample"), tmp_path_factory)
    with loaded.stack:
        yield loaded


@pytest.fixture(autouse=True)
def _harness(prefect_api_url: str) -> str:
    return prefect_api_url
