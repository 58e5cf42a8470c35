"""Which stored school-level rows of a year a load replaces (all of them, or a correction's files'), and the note a correction leaves on its run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Connection, delete

from schemas.tables import PROVENANCE_COLUMNS
from schemas.words import plural
from warehouse.bulk import in_chunks, insert_frame
from warehouse.correction import current_run_id
from warehouse.errors import WarehouseError
from warehouse.schema import SCHOOL_TABLES


@dataclass(frozen=True)
class Replacement:
    """Which stored rows of a year a load replaces: every one (the default), or a correction's.

    A correction (``changed_files`` given) replaces the school-level rows of those files, on top of
    run ``base_run_id``, which must still be the run behind the year's current values when the load
    starts; ``counties`` are the counties it recomputed (for the run's message).
    """

    changed_files: tuple[str, ...] | None = None
    counties: tuple[str, ...] = ()
    base_run_id: int | None = None
    removed_files: tuple[str, ...] = ()
    """The changed files that are gone from the folder: their rows are removed, not read again."""


def _listed(files: Sequence[str]) -> str:
    return ", ".join(files[:5]) + (", …" if len(files) > 5 else "")


def correction_note(replacement: Replacement) -> str:
    """The run's message for a correction: the files read again, the files removed (each said as such), the counties recomputed."""
    removed = set(replacement.removed_files)
    read = [f for f in replacement.changed_files or () if f not in removed]
    parts = []
    if read:
        parts.append(f"{plural(len(read), 'changed file')} read again ({_listed(read)})")
    if removed:
        parts.append(f"{plural(len(removed), 'file')} removed ({_listed(sorted(removed))})")
    parts.append(f"{plural(len(replacement.counties), 'county')} recomputed")
    return f"correction of run {replacement.base_run_id}: " + ", ".join(parts)


WHOLE_YEAR = Replacement()


def delete_year_rows(conn: Connection, year: int, replacement: Replacement = WHOLE_YEAR) -> None:
    """Delete the stored school-level rows a load replaces: all of the year's, or a correction's changed files' rows."""
    for table in SCHOOL_TABLES.values():
        if replacement.changed_files is None:
            conn.execute(delete(table).where(table.c.year == year))
        else:
            for chunk in in_chunks(replacement.changed_files):
                conn.execute(delete(table).where(table.c.year == year, table.c.source_file.in_(chunk)))


def insert_year_rows(conn: Connection, run_id: int, year: int, tables: Mapping[str, pl.DataFrame], replacement: Replacement = WHOLE_YEAR) -> None:
    """Insert school-level rows (table name → staged frame) under ``run_id``, after ``delete_year_rows``.

    For a correction only the rows of its changed files are written; rows from other files are
    already stored.
    """
    for name, frame in tables.items():
        if replacement.changed_files is not None:
            frame = frame.filter(pl.col("source_file").is_in(list(replacement.changed_files)))
        insert_frame(conn, SCHOOL_TABLES[name], frame, fixed={"year": year, "run_id": run_id}, optional=PROVENANCE_COLUMNS)


def refuse_moved_base(conn: Connection, year: int, replacement: Replacement) -> None:
    """Raise when a correction's base run is no longer the one behind the year's current values."""
    if replacement.base_run_id is None:
        return
    current = current_run_id(conn, year)
    if current != replacement.base_run_id:
        raise WarehouseError(
            f"year {year} was loaded by run {current} after this correction read run {replacement.base_run_id}'s rows; run it again"
            f" / {year} 年的数据在本次更正读取后又被运行 {current} 更新, 请重新运行"
        )
