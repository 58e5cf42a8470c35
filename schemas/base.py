"""Building blocks of the per-table Pandera models: provenance columns and row-rule helpers."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from config import STAGES
from schemas.tables import SCHOOL_CODE

OWNERSHIPS = ("public", "private")
"""Staged 举办者类型 values."""


def digits(count: int) -> str:
    """Regex of a code of exactly ``count`` ASCII digits."""
    return rf"^[0-9]{{{count}}}$"


def is_one_of(data: pa.PolarsData, allowed: tuple[str, ...] | list[str]) -> pl.LazyFrame:
    """One boolean per row: the column ``data.key`` holds one of ``allowed`` (null passes)."""
    column = pl.col(data.key)
    return data.lazyframe.select((column.is_null() | column.is_in(list(allowed))).alias(data.key))


class StagedModel(pa.DataFrameModel):
    """Provenance columns every staged table carries: one row per source row.

    Row-rule methods are named by their rule code: pandera 0.35 reports an inherited check of a
    second subclass by its method name rather than its ``name``, so both must be the rule code.
    """

    source_file: str
    source_sheet: str
    source_row: int = pa.Field(ge=1)

    class Config:
        strict = True
        coerce = False


class SchoolRowModel(StagedModel):
    """A table with one row per school: the school code of the registry."""

    school_code: str = pa.Field(str_matches=digits(SCHOOL_CODE.digits))


class SchoolStageModel(SchoolRowModel):
    """A table with one row per school per stage."""

    stage: str

    @pa.check("stage", name="unknown_stage")
    def unknown_stage(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """One boolean per row: the stage is a contract stage code."""
        return is_one_of(data, STAGES)
