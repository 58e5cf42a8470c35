"""A warehouse with the sample's 2020 loaded through `edustat run`, for the command-line tests that change one cell of it.

The sample is written and loaded once per session and warehouse kind (``Sample2020.loaded``); each module or test
gets its own copy (tests/conftest.py ``copied_warehouse``), so a test may change it freely.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import built_once, copied_warehouse, template_warehouse
from tests.edustat.cli.test_cli import edustat

YEAR = "2020"
FIRST_OUTPUT = "first_output.txt"


@dataclass(frozen=True)
class SampleWarehouse:
    """The warehouse's URL, the environment that reaches it, the sample's 2020 folder, and what its first run printed."""

    url: str
    env: dict[str, str]
    complete: Path
    first_output: str


@dataclass
class Sample2020:
    """The sample's 2020 (seed 2021) written once, and loaded once per warehouse kind into a template that is copied per use."""

    root: Path
    prefect_api_url: str
    factory: pytest.TempPathFactory
    stack: ExitStack = field(default_factory=ExitStack)
    _templates: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def complete(self) -> Path:
        """The sample's 2020 folder, written once for the session and its workers (read-only: copy it to change it)."""
        from edustat.sample import write_sample

        return built_once(self.factory, "sample_2020", lambda root: write_sample(root, [int(YEAR)], seed=2021)) / YEAR

    def _template(self, kind: str) -> tuple[str, str]:
        if kind not in self._templates:
            if kind == "sqlite":
                # A file: loaded once for the session and its workers, copied by each.
                directory = built_once(self.factory, "sample_2020_sqlite", lambda folder: self._first_run(f"sqlite:///{folder / 'template.db'}", folder))
                self._templates[kind] = (f"sqlite:///{directory / 'template.db'}", (directory / FIRST_OUTPUT).read_text(encoding="utf-8"))
            else:
                directory = self.root / f"template-{len(self._templates)}"
                directory.mkdir()
                url = self.stack.enter_context(template_warehouse(kind, directory))
                self._templates[kind] = (url, self._first_run(url, directory))
        return self._templates[kind]

    def _first_run(self, url: str, directory: Path) -> str:
        """`edustat run` of the sample's 2020 into the empty warehouse at ``url``; what it printed (kept in ``directory`` too)."""
        env = {"PREFECT_API_URL": self.prefect_api_url, "EDUSTAT_WAREHOUSE_URL": url, "EDUSTAT_ERROR_WORKBOOK_DIR": str(directory / "errors")}
        first = edustat("run", "--year", YEAR, "--input", str(self.complete), cwd=directory, env=env)
        assert first.returncode == 0, first.stdout + first.stderr
        from warehouse.engine import dispose_engines

        dispose_engines()
        (directory / FIRST_OUTPUT).write_text(first.stdout, encoding="utf-8")
        return first.stdout

    @contextmanager
    def loaded(self, kind: str, root: Path) -> Iterator[SampleWarehouse]:
        """A private copy of the loaded warehouse of ``kind`` ("sqlite" or a PostgreSQL URL) below ``root``."""
        template, first_output = self._template(kind)
        with copied_warehouse(template, root) as url:
            env = {"PREFECT_API_URL": self.prefect_api_url, "EDUSTAT_WAREHOUSE_URL": url, "EDUSTAT_ERROR_WORKBOOK_DIR": str(root / "errors")}
            yield SampleWarehouse(url, env, self.complete, first_output)


def query(url: str, sql: str) -> list[tuple]:
    """Every row of ``sql`` against the warehouse at ``url``."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql)).all()
    finally:
        engine.dispose()
