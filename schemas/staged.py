"""The validated input of one year: one frame per contract table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

import polars as pl

from schemas.tables import PROVENANCE_COLUMNS, staged_dtypes


@dataclass(frozen=True)
class StagedTables:
    """One statistical year's validated tables, each with contract columns and provenance columns.

    schools: one row per school; enrollment, staff, funding: one row per school per stage;
    security, facilities: one row per school; population: one row per county.
    """

    schools: pl.DataFrame
    enrollment: pl.DataFrame
    staff: pl.DataFrame
    security: pl.DataFrame
    facilities: pl.DataFrame
    funding: pl.DataFrame
    population: pl.DataFrame

    def items(self) -> list[tuple[str, pl.DataFrame]]:
        """(table name, frame) pairs in contract order."""
        return [(f.name, getattr(self, f.name)) for f in fields(self)]


def in_staged_order(tables: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """A piece of the year's tables (table name → rows) in the order the year's staged tables hold them: source file, sheet, row.

    Pieces of consecutive files, taken in file order, thus add up to the staged tables row for row.
    """
    return {name: frame.sort(list(PROVENANCE_COLUMNS), maintain_order=True) for name, frame in tables.items()}


def empty_table(table: str) -> pl.DataFrame:
    """A staged frame of ``table`` with no rows."""
    return pl.DataFrame(schema={name: getattr(pl, dtype)() for name, dtype in staged_dtypes(table).items()})
