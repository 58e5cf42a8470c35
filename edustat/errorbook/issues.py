"""Tidy the validation-issue frame for the error workbook: every column present, typed, located, sorted."""

from __future__ import annotations

import polars as pl

from schemas.issues import ISSUE_COLUMNS



_SEVERITY_RANK = {"error": 0, "warning": 1}
_LETTER_VALUE = {chr(64 + i): i for i in range(1, 27)} | {"@": 0}
# Excel's last row and column: anything beyond is not a cell we can mark.
_MAX_ROW = 1_048_576
_MAX_COL = 16_384


def _column_index(letters: pl.Expr) -> pl.Expr:
    """Excel column letters (1–3 of A–Z) → 1-based column number, vectorised."""
    padded = letters.str.pad_start(3, "@")
    digit = [
        padded.str.slice(i, 1).replace_strict(_LETTER_VALUE, default=None, return_dtype=pl.Int64) for i in range(3)
    ]
    return digit[0] * 26 * 26 + digit[1] * 26 + digit[2]


def normalise_issues(issues: pl.DataFrame) -> pl.DataFrame:
    """One row per issue, worst severity first, with every issue column as String (source_row Int64) plus locations.

    Added columns: ``issue_index`` (position in the input frame), ``severity_rank`` (0 error,
    1 warning, 2 anything else), ``target_row``/``target_col`` (1-based cell the issue points
    at: from ``cell`` when it is a valid A1 reference, else row from ``source_row`` and no
    column). Missing columns are added as nulls so that odd frames never fail.
    """
    frame = issues
    for name in ISSUE_COLUMNS:
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None).alias(name))
    text_columns = [c for c in ISSUE_COLUMNS if c != "source_row"]
    frame = frame.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("issue_index"),
        *[pl.col(c).cast(pl.String, strict=False) for c in text_columns],
        pl.col("source_row").cast(pl.Int64, strict=False),
    )
    cell = pl.col("cell").str.strip_chars().str.to_uppercase().str.replace_all("$", "", literal=True)
    parts = cell.str.extract_groups(r"^([A-Z]{1,3})([0-9]{1,7})$")
    cell_row = parts.struct.field("2").cast(pl.Int64, strict=False)
    cell_col = _column_index(parts.struct.field("1"))
    cell_is_valid = cell_row.is_between(1, _MAX_ROW) & cell_col.is_between(1, _MAX_COL)
    row_is_valid = pl.col("source_row").is_between(1, _MAX_ROW)
    severity = pl.col("severity").str.strip_chars().str.to_lowercase()
    return (
        frame.with_columns(
            severity.alias("severity"),
            severity.replace_strict(_SEVERITY_RANK, default=2, return_dtype=pl.Int64).fill_null(2).alias("severity_rank"),
            pl.when(cell_is_valid)
            .then(cell_row)
            .when(row_is_valid)
            .then(pl.col("source_row"))
            .otherwise(None)
            .alias("target_row"),
            pl.when(cell_is_valid).then(cell_col).otherwise(None).alias("target_col"),
        )
        .sort(
            ["severity_rank", "source_file", "source_sheet", "target_row", "target_col", "issue_index"],
            nulls_last=[False, False, False, False, False, False],
        )
    )
