"""The validation issue frame: one row per problem, in the columns of the team brief."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from schemas.messages import MESSAGES, render, render_exprs
from schemas.spec import PROVENANCE_COLUMNS, PROVENANCE_DTYPES

ISSUE_COLUMNS: dict[str, pl.DataType] = {
    "severity": pl.String(),
    "table_name": pl.String(),
    # Where the problem lies: the staged row's provenance (null where it lies in no one row or file).
    **{name: getattr(pl, dtype)() for name, dtype in PROVENANCE_DTYPES.items()},
    "column_header": pl.String(),
    "cell": pl.String(),
    "value": pl.String(),
    "rule": pl.String(),
    "message_zh": pl.String(),
    "message_en": pl.String(),
}
"""Issue columns in order, with their Polars dtypes: the one declaration of the issue frame and the warehouse's validation_issue."""

SEVERITIES = ("error", "warning")
"""An error blocks the load; a warning is stored and shown."""

SORT_COLUMNS = (*PROVENANCE_COLUMNS, "cell", "rule")


def empty_issues() -> pl.DataFrame:
    """An issue frame with no rows."""
    return pl.DataFrame(schema=ISSUE_COLUMNS)


def issue_frame(rows: list[dict]) -> pl.DataFrame:
    """One row per dict of ``rows``; keys outside ISSUE_COLUMNS are ignored, missing ones are null."""
    if not rows:
        return empty_issues()
    columns = {name: [row.get(name) for row in rows] for name in ISSUE_COLUMNS}
    return pl.DataFrame(columns, schema=ISSUE_COLUMNS)


def issue(rule: str, severity: str, **fields: object) -> dict:
    """One issue as a dict: issue columns taken from ``fields``, messages rendered from all of them."""
    message_zh, message_en = render(rule, **fields)
    row = {name: fields.get(name) for name in ISSUE_COLUMNS}
    return row | {"rule": rule, "severity": severity, "message_zh": message_zh, "message_en": message_en}


def issues_from(frame: pl.DataFrame, rule: str, severity: str, **fields: object) -> pl.DataFrame:
    """One issue per row of ``frame`` (grain: the caller's offending rows).

    Issue columns come from ``fields`` (constants or expressions) or else from the frame's columns of
    the same name, else null; message placeholders are filled the same way.
    """
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity}")
    if rule not in MESSAGES:
        raise KeyError(f"no message for rule {rule}")
    if frame.height == 0:
        return empty_issues()
    message_zh, message_en = render_exprs(rule, **fields)
    selected: list[pl.Expr] = []
    for name, dtype in ISSUE_COLUMNS.items():
        if name == "rule":
            expr = pl.lit(rule)
        elif name == "severity":
            expr = pl.lit(severity)
        elif name == "message_zh":
            expr = message_zh
        elif name == "message_en":
            expr = message_en
        elif name in fields:
            value = fields[name]
            expr = value if isinstance(value, pl.Expr) else pl.lit(value)
        elif name in frame.columns:
            expr = pl.col(name)
        else:
            expr = pl.lit(None)
        selected.append(expr.cast(dtype).alias(name))
    return frame.select(selected)


def concat_issues(frames: Iterable[pl.DataFrame]) -> pl.DataFrame:
    """All issues of ``frames`` in one frame, sorted by file, sheet, row, cell and rule (file-wide ones first)."""
    frames = [f.select(list(ISSUE_COLUMNS)) for f in frames if f.height]
    if not frames:
        return empty_issues()
    return pl.concat(frames, how="vertical").sort(list(SORT_COLUMNS), nulls_last=False, maintain_order=True)


def has_errors(issues: pl.DataFrame) -> bool:
    """True when any issue is an error (and so blocks the load)."""
    return issues.height > 0 and bool((issues["severity"] == "error").any())
