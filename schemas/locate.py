"""Where a staged value came from: its header as the clerk wrote it and its cell reference."""

from __future__ import annotations

import polars as pl


def locate(rows: pl.DataFrame, table: str, column: str, headers: pl.DataFrame) -> pl.DataFrame:
    """``rows`` (with source_file, source_sheet, source_row) plus column_header and cell ("D12") of ``column``.

    ``headers`` is the header map of ingest: one row per (table, file, sheet, column) with the header
    text and Excel letter. Grain unchanged: one output row per input row; unknown places stay null.
    """
    found = headers.filter((pl.col("table_name") == table) & (pl.col("column") == column)).select(
        "source_file", "source_sheet", "column_header", "column_letter"
    ).unique(["source_file", "source_sheet"], keep="first", maintain_order=True)
    dropped = [name for name in ("column_header", "cell", "column_letter") if name in rows.columns]
    return (
        rows.drop(dropped)
        .join(found, on=["source_file", "source_sheet"], how="left", nulls_equal=False)
        .with_columns(pl.concat_str(pl.col("column_letter"), pl.col("source_row").cast(pl.String)).alias("cell"))
        .drop("column_letter")
    )
