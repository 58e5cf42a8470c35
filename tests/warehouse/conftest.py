"""Warehouse-tier fixtures: an engine on every dialect under test (SQLite always, PostgreSQL when configured)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from wh_data import POSTGRES_ENV, prepare

from warehouse.engine import make_engine


@pytest.fixture
def postgres_url() -> str:
    """The test PostgreSQL's URL; skips (saying why) when none is configured."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} not set")
    return url


@pytest.fixture
def engine(warehouse_url: str) -> Iterator[sa.Engine]:
    """An empty warehouse database: a SQLite file, or a fresh schema on PostgreSQL (tests/conftest.py's warehouse_url)."""
    made = make_engine(warehouse_url)
    yield made
    made.dispose()


@pytest.fixture
def warehouse(engine: sa.Engine) -> sa.Engine:
    """A migrated warehouse holding the tiny region tree and catalogue."""
    return prepare(engine)


