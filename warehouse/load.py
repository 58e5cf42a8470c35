"""Load one year into the warehouse: a new version of its values, its school tables and its issues, in ONE transaction.

The load takes the year's lock (warehouse.lock), replaces the stored school rows it covers
(warehouse.replacement), writes a new version of the year's values (warehouse.versions) and, when
asked, refreshes year + 1's growth (warehouse.growth); the school-level tables keep one version per
year (the current one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import ExitStack
from types import TracebackType

import polars as pl
from sqlalchemy import Connection, Engine, delete, func, select
from sqlalchemy.exc import DBAPIError

from schemas.staged import StagedTables
from warehouse.bulk import insert_frame
from warehouse.engine import truncate_log, write_transaction
from warehouse.errors import WarehouseError
from warehouse.growth import refresh_growth
from warehouse.lock import busy_message, ensure_lock_rows, lock_year
from warehouse.rejection import insert_issues, issue_counts
from warehouse.replacement import WHOLE_YEAR, Replacement, correction_note, delete_year_rows, insert_year_rows, refuse_moved_base
from warehouse.runs import refuse_other_year, set_run_status
from warehouse.schema import county_reporting, indicator_value, input_file
from warehouse.versions import LoadCounts, checked_values, refuse_unknown, replace_values

PausePoint = Callable[[str], None]
"""Called with a point's name as the load passes it ("after_tables", "after_values", "after_growth", "before_commit"): the fault-injection tests' hook."""


def no_pause(_point: str) -> None:
    """The pause hook of an ordinary load: go on at once."""


def replace_reporting(conn: Connection, run_id: int, year: int, reporting: pl.DataFrame) -> None:
    """Make ``reporting`` (one row per configured county × table, whole year) the year's completeness, under ``run_id``."""
    conn.execute(delete(county_reporting).where(county_reporting.c.year == year))
    insert_frame(conn, county_reporting, reporting, fixed={"year": year, "run_id": run_id})


class YearLoad:
    """One load of a year as ONE open transaction: school rows staged as they arrive, then the values, then commit.

    Entering takes the write lock (and the year's lock), checks the run, and for a whole year deletes
    the year's school rows; ``stage`` inserts a piece of the year's school rows, so that a long parse
    and the writing of millions of rows overlap; ``finish`` writes the values, the run's issues and
    status, and commits. Leaving without ``finish`` (an error, a rejected year) rolls everything back:
    no value, school row or run status of the year changes. ``pause`` is called at each named point
    of the load (PausePoint).
    """

    def __init__(
        self,
        engine: Engine,
        run_id: int,
        year: int,
        lock_timeout_s: float,
        replacement: Replacement = WHOLE_YEAR,
        pause: PausePoint = no_pause,
    ) -> None:
        self.engine = engine
        self.run_id = run_id
        self.year = year
        self.lock_timeout_s = lock_timeout_s
        self.replacement = replacement
        self.pause = pause
        self.staging_error: Exception | None = None
        self._stack = ExitStack()
        self._conn: Connection | None = None
        self._is_finished = False

    def __enter__(self) -> YearLoad:
        sqlite = self.engine.dialect.name == "sqlite"
        busy = busy_message(self.year, self.lock_timeout_s, sqlite)
        ensure_lock_rows(self.engine, (self.year, self.year + 1))
        with ExitStack() as stack:
            conn = stack.enter_context(write_transaction(self.engine, self.lock_timeout_s, busy_message=busy))
            lock_year(conn, self.year, self.lock_timeout_s)
            refuse_other_year(conn, self.run_id, self.year)
            refuse_moved_base(conn, self.year, self.replacement)
            delete_year_rows(conn, self.year, self.replacement)
            self._stack = stack.pop_all()
        self._conn = conn
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None) -> None:
        if self._is_finished:
            truncate_log(self.engine)
            return
        transaction = self._conn.get_transaction() if self._conn is not None else None
        if kind is None and transaction is not None and transaction.is_active:
            # Left without finishing (a rejected year): nothing it staged may stay.
            transaction.rollback()
        self._stack.__exit__(kind, error, traceback)

    @property
    def conn(self) -> Connection:
        """The load's connection, inside its transaction."""
        if self._conn is None:
            raise WarehouseError("the load is not open; use it in a with block")
        return self._conn

    def stage(self, tables: Mapping[str, pl.DataFrame]) -> bool:
        """Insert one piece of the year's school rows (table name → staged frame); False once a piece has failed.

        A piece the database refuses (a duplicate key, an empty key) is undone to its savepoint and
        staging stops: validation reports the cause, and ``finish`` raises the database's error if
        validation did not.
        """
        if self.staging_error is not None:
            return False
        try:
            with self.conn.begin_nested():
                insert_year_rows(self.conn, self.run_id, self.year, tables, self.replacement)
        except DBAPIError as error:
            self.staging_error = error
            return False
        return True

    def finish(
        self,
        values: pl.DataFrame,
        issues: pl.DataFrame,
        *,
        next_year_growth: pl.DataFrame | None = None,
        input_files: pl.DataFrame | None = None,
        config_digest: str | None = None,
        reporting: pl.DataFrame | None = None,
    ) -> LoadCounts:
        """Make ``values`` the year's current version, record the issues, input files, completeness (``reporting``) and status, and commit; returns how the values compare."""
        if self.staging_error is not None:
            raise self.staging_error
        what = f"load of {self.year}"
        conn = self.conn
        frame = checked_values(values, what)
        refuse_unknown(conn, frame, what)
        self.pause("after_tables")
        counts = replace_values(conn, self.run_id, self.year, frame)
        self.pause("after_values")
        notes = []
        replacement = self.replacement
        if replacement.changed_files is not None:
            notes.append(correction_note(replacement))
        if next_year_growth is not None:
            lock_year(conn, self.year + 1, self.lock_timeout_s)
            growth = refresh_growth(conn, self.run_id, self.year + 1, next_year_growth)
            self.pause("after_growth")
            notes.append(
                f"also refreshed the growth indicators of {self.year + 1}: "
                f"{growth.changed} changed, {growth.unchanged} unchanged, {growth.added} added, {growth.removed} removed"
            )
        insert_issues(conn, self.run_id, self.year, issues)
        if reporting is not None:
            replace_reporting(conn, self.run_id, self.year, reporting)
        if input_files is not None:
            insert_frame(conn, input_file, input_files, fixed={"run_id": self.run_id, "year": self.year})
        errors, warnings = issue_counts(issues)
        set_run_status(
            conn,
            self.run_id,
            "succeeded",
            last_value_id=conn.scalar(select(func.max(indicator_value.c.value_id))),
            config_digest=config_digest,
            values_added=counts.added,
            values_changed=counts.changed,
            values_unchanged=counts.unchanged,
            values_removed=counts.removed,
            error_count=errors,
            warning_count=warnings,
            message="; ".join(notes) or None,
        )
        self.pause("before_commit")
        self._is_finished = True
        self._stack.close()
        self._conn = None
        return counts


def load_year(
    engine: Engine,
    run_id: int,
    year: int,
    values: pl.DataFrame,
    staged: StagedTables,
    issues: pl.DataFrame,
    lock_timeout_s: float,
    *,
    next_year_growth: pl.DataFrame | None = None,
    replacement: Replacement = WHOLE_YEAR,
    input_files: pl.DataFrame | None = None,
    config_digest: str | None = None,
    reporting: pl.DataFrame | None = None,
    pause: PausePoint = no_pause,
) -> LoadCounts:
    """Load a validated year as ONE transaction and mark run ``run_id`` succeeded; returns how its values compare.

    values: one row per region per indicator (VALUE_COLUMNS); staged: the validated tables; issues: the run's warnings (issue frame). With
    ``next_year_growth`` (one row per region per growth code of year + 1) the growth indicators of
    year + 1 are refreshed in the same transaction, under that year's lock too. ``replacement`` says
    which stored rows go (see Replacement); ``input_files`` (source_file, sha256) and ``config_digest``
    are recorded with the run, so that a later correction knows what this version was made from;
    ``reporting`` (county × table completeness of the whole year) replaces the year's county_reporting rows.
    ``pause`` is called at each named point of the load (PausePoint). Raises WarehouseBusyError when the
    year stays locked for ``lock_timeout_s`` seconds.
    """
    with YearLoad(engine, run_id, year, lock_timeout_s, replacement, pause) as load:
        load.stage(dict(staged.items()))
        return load.finish(
            values, issues, next_year_growth=next_year_growth, input_files=input_files, config_digest=config_digest, reporting=reporting
        )
