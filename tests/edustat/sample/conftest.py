"""Fixtures of the sample tests: the default region's 2019 and 2020 tables, generated once per session."""

from __future__ import annotations

import polars as pl
import pytest

from edustat.sample import generate_year

SEED = 2021


@pytest.fixture(scope="session")
def year_2019() -> dict[str, pl.DataFrame]:
    """The default sample's 2019 tables."""
    return generate_year(2019, SEED)


@pytest.fixture(scope="session")
def year_2020() -> dict[str, pl.DataFrame]:
    """The default sample's 2020 tables."""
    return generate_year(2020, SEED)


@pytest.fixture(scope="session")
def written(tmp_path_factory: pytest.TempPathFactory):
    """The default sample for 2019 and 2020 written once: (output folder, files written)."""
    from edustat.sample import write_sample

    out = tmp_path_factory.mktemp("sample")
    return out, write_sample(out, [2019, 2020], seed=SEED)
