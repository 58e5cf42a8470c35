"""Tiny staged frames for the schema tests: any column not given is null, provenance filled in."""

from __future__ import annotations

import polars as pl

from schemas.tables import staged_dtypes


def staged(table: str, rows: list[dict], *, file: str = "a.xlsx", sheet: str | None = None) -> pl.DataFrame:
    """A staged ``table`` frame: row i gets source_row i + 2 (below a header in row 1) unless given."""
    dtypes = {name: getattr(pl, dtype)() for name, dtype in staged_dtypes(table).items()}
    filled = [
        {"source_file": file, "source_sheet": sheet or table, "source_row": i + 2} | row for i, row in enumerate(rows)
    ]
    return pl.DataFrame([{name: row.get(name) for name in dtypes} for row in filled], schema=dtypes)


def headers(table: str, letters: dict[str, str], *, file: str = "a.xlsx", sheet: str | None = None) -> pl.DataFrame:
    """A header map: each column of ``letters`` written as its own name in that Excel column."""
    return pl.DataFrame(
        {
            "table_name": [table] * len(letters),
            "source_file": [file] * len(letters),
            "source_sheet": [sheet or table] * len(letters),
            "column": list(letters),
            "column_header": list(letters),
            "column_letter": list(letters.values()),
        },
        schema={name: pl.String for name in ("table_name", "source_file", "source_sheet", "column", "column_header", "column_letter")},
    )
