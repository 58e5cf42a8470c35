"""The sample's tables for any year, without writing anything."""

from __future__ import annotations

import polars as pl

from config import RegionTree
from edustat.sample.funding import funding_table
from edustat.sample.tables import year_tables
from schemas.tables import TABLES


def generate_year(year: int, seed: int = 2021, regions: RegionTree | None = None) -> dict[str, pl.DataFrame]:
    """The seven tables of ``year`` for ``regions`` (the default region when None), keyed by table name.

    Each frame has the contract columns typed as staged (no provenance columns): schools, security
    and facilities one row per school; enrollment, staff and funding one row per school per stage;
    population one row per county. The same seed gives the same frames.
    """
    tables = year_tables(regions, seed, year)
    tables["funding"] = funding_table(regions, seed, year)
    return {name: tables[name] for name in TABLES}
