"""Each data table's rows paired once with the registry's school codes (pure): the join the unknown-school and completeness checks share.

At national scale (half a million schools, over three million data rows) joining on the text
school code is the dearest step of these checks; done once per table, the checks that follow
compare small integers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from schemas.tables import DATA_TABLES, PROVENANCE_COLUMNS

SCHOOL_ID = "__school"
"""The column holding a row's school as a number of ``SchoolRows.ids`` (null: a code the registry does not hold)."""

KEPT = ("school_code", "stage", "students", *PROVENANCE_COLUMNS)
"""The columns of a data table that the checks on the pairing read (those the table has)."""


@dataclass(frozen=True)
class SchoolRows:
    """The registry's school codes numbered (``ids``: one row per distinct code, SCHOOL_ID = its position) and, per data table
    present, its rows (one per row, in the table's order) with SCHOOL_ID beside the columns of KEPT it has."""

    ids: pl.DataFrame
    rows: dict[str, pl.DataFrame]


def pair_school_rows(tables: Mapping[str, pl.DataFrame]) -> SchoolRows:
    """Every data table of ``tables`` paired with the school codes of its schools table (none when it has no schools table)."""
    schools = tables.get("schools")
    codes = schools.get_column("school_code").drop_nulls().unique(maintain_order=True) if schools is not None else pl.Series("school_code", [], pl.String)
    ids = codes.to_frame("school_code").with_row_index(SCHOOL_ID)
    rows = {
        table: tables[table].select([c for c in KEPT if c in tables[table].columns]).join(ids, on="school_code", how="left", maintain_order="left")
        for table in DATA_TABLES if table in tables
    }
    return SchoolRows(ids=ids, rows=rows)
