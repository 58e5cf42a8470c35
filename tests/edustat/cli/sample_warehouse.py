"""A warehouse with the sample's 2020 loaded through `edustat run`, for the command-line tests that change one cell of it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from tests.conftest import fresh_warehouse
from tests.edustat.cli.test_cli import edustat

YEAR = "2020"


@dataclass(frozen=True)
class SampleWarehouse:
    """The warehouse's URL, the environment that reaches it, the sample's 2020 folder, and what its first run printed."""

    url: str
    env: dict[str, str]
    complete: Path
    first_output: str


@contextmanager
def sample_2020_loaded(kind: str, root: Path, prefect_api_url: str) -> Iterator[SampleWarehouse]:
    """A fresh warehouse of ``kind`` (see tests.conftest.fresh_warehouse) with the sample's 2020 (seed 2021) loaded, below ``root``."""
    from edustat.sample import write_sample

    write_sample(root / "sample", [int(YEAR)], seed=2021)
    with fresh_warehouse(kind, root) as url:
        env = {"PREFECT_API_URL": prefect_api_url, "EDUSTAT_WAREHOUSE_URL": url, "EDUSTAT_ERROR_WORKBOOK_DIR": str(root / "errors")}
        first = edustat("run", "--year", YEAR, "--input", str(root / "sample" / YEAR), cwd=root, env=env)
        assert first.returncode == 0, first.stdout + first.stderr
        yield SampleWarehouse(url, env, root / "sample" / YEAR, first.stdout)


def query(url: str, sql: str) -> list[tuple]:
    """Every row of ``sql`` against the warehouse at ``url``."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql)).all()
    finally:
        engine.dispose()
