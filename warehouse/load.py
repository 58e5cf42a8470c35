"""Load one year into the warehouse: a new version of its values, its school tables and its issues, in ONE transaction.

Versioning: every successful run writes, in one transaction, a row for each value of its year
that it adds, changes (NULL values included) or removes, and flips the rows they replace to
``is_current = false``; values it does not change keep their row. The school-level tables keep one
version per year (the current one).

Locking: a year is loaded by one run at a time. PostgreSQL locks the year's row of ``load_lock``
(SELECT … FOR UPDATE SKIP LOCKED, polled until ``lock_timeout_s``), a lock the reader role cannot take;
SQLite has one writer per file, taken at ``BEGIN IMMEDIATE`` with a busy timeout of
``lock_timeout_s``. Either way a run that waited too long gets ``WarehouseBusyError``; the caller
then closes its run as failed.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from types import TracebackType

import polars as pl
from sqlalchemy import ColumnElement, Connection, Engine, delete, func, select, text, true, update
from sqlalchemy.exc import DBAPIError

from edustat.staged import StagedTables
from edustat.words import plural
from runtime.pause_points import pause_point
from schemas.tables import PROVENANCE_COLUMNS
from warehouse.bulk import insert_frame
from warehouse.correction import current_run_id
from warehouse.engine import is_sqlite, truncate_log, write_transaction
from warehouse.errors import WarehouseBusyError, WarehouseError
from warehouse.frames import fetch_frame
from warehouse.runs import set_run_status
from warehouse.schema import (
    county_reporting,
    SCHOOL_TABLES,
    etl_run,
    indicator,
    indicator_value,
    input_file,
    region,
    validation_issue,
)

VALUE_KEY = ("region_code", "indicator_code")
VALUE_MEASURES = ("value", "numerator", "denominator")
VALUE_COLUMNS = (*VALUE_KEY, *VALUE_MEASURES)
"""The values frame: one row per region per indicator of the year (extra columns such as region_level are ignored)."""

LOCK_POLL_S = 0.05


@dataclass(frozen=True)
class LoadCounts:
    """How a new version of a year's values compares with the version it replaces, one count of keys each.

    added: keys not current before; changed: keys whose value, numerator or denominator differ
    (NULL equals NULL); unchanged: keys identical in all three; removed: keys current before and
    absent from the new version (they stop being current).
    """

    added: int
    changed: int
    unchanged: int
    removed: int = 0


def busy_message(year: int, waited_s: float, sqlite: bool) -> str:
    """The message of the WarehouseBusyError raised when ``year`` could not be locked."""
    message = f"year {year} is being loaded by another run; waited {waited_s:g} s"
    if sqlite:
        message += " (SQLite lets one run write to the warehouse file at a time)"
    return message + f" / {year} 年的数据正被另一次运行写入, 已等待 {waited_s:g} 秒"


def ensure_lock_rows(engine: Engine, years: Sequence[int]) -> None:
    """Make sure ``load_lock`` has a row for each of ``years`` (PostgreSQL), in a short transaction of its own.

    Inserted outside the load's transaction: a row inserted there would make a second run's insert
    wait for the whole load instead of polling with a time limit.
    """
    if is_sqlite(engine):
        return
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO load_lock (year) SELECT y FROM unnest(CAST(:years AS integer[])) AS y ON CONFLICT (year) DO NOTHING"),
            {"years": list(years)},
        )


def lock_year(conn: Connection, year: int, timeout_s: float) -> None:
    """Hold the per-year load lock until ``conn``'s transaction ends (PostgreSQL); SQLite's file lock is taken at BEGIN.

    PostgreSQL: a row lock on the year's ``load_lock`` row (made by ``ensure_lock_rows``), polled
    with SKIP LOCKED so that waiting has a time limit. Taking it needs UPDATE rights on the table,
    which the reader role lacks: a query cannot hold a load up. Raises WarehouseBusyError after
    ``timeout_s`` seconds of waiting.
    """
    if is_sqlite(conn):
        return
    statement = text("SELECT year FROM load_lock WHERE year = :year FOR UPDATE SKIP LOCKED")
    if not conn.scalar(text("SELECT count(*) FROM load_lock WHERE year = :year"), {"year": year}):
        # Not inserted here: a second run's insert of the same row would wait for this whole load, with no time limit.
        raise WarehouseError(f"load_lock has no row for {year}; call ensure_lock_rows before the load's transaction")
    deadline = time.monotonic() + timeout_s
    while conn.scalar(statement, {"year": year}) is None:
        if time.monotonic() >= deadline:
            raise WarehouseBusyError(busy_message(year, timeout_s, sqlite=False))
        time.sleep(LOCK_POLL_S)


def _checked_values(values: pl.DataFrame, what: str) -> pl.DataFrame:
    """The values frame cut to VALUE_COLUMNS, after refusing missing columns, NULL or duplicate keys and non-finite numbers."""
    missing = [c for c in VALUE_COLUMNS if c not in values.columns]
    if missing:
        raise WarehouseError(f"{what}: the values frame lacks column(s) {', '.join(missing)}")
    frame = values.select(
        pl.col(list(VALUE_KEY)).cast(pl.String),
        pl.col(list(VALUE_MEASURES)).cast(pl.Float64),
    )
    if frame.select(pl.any_horizontal(pl.col(list(VALUE_KEY)).is_null()).any()).item():
        raise WarehouseError(f"{what}: a value row has no region_code or indicator_code")
    duplicates = frame.filter(pl.struct(VALUE_KEY).is_duplicated())
    if duplicates.height:
        raise WarehouseError(f"{what}: {duplicates.height} value rows share a (region_code, indicator_code), e.g. {duplicates.row(0)[:2]}")
    bad = frame.filter(pl.any_horizontal([pl.col(c).is_nan() | pl.col(c).is_infinite() for c in VALUE_MEASURES]))
    if bad.height:
        raise WarehouseError(f"{what}: {bad.height} values are NaN or infinite (a zero denominator must give NULL), e.g. {bad.row(0)}")
    return frame


def _refuse_unknown(conn: Connection, frame: pl.DataFrame, what: str) -> None:
    """Raise when the frame names a region or indicator that sync_regions/sync_catalogue did not store."""
    for column, table, key in (("region_code", region, region.c.region_code), ("indicator_code", indicator, indicator.c.indicator_code)):
        known = set(conn.scalars(select(key)).all())
        unknown = sorted(set(frame.get_column(column).unique().to_list()) - known)
        if unknown:
            raise WarehouseError(f"{what}: {column} {', '.join(unknown[:10])} not in table {table.name}; sync the configuration first")


def _refuse_other_year(conn: Connection, run_id: int, year: int) -> None:
    """Raise unless run ``run_id`` exists and is a run of ``year``."""
    run_year = conn.scalar(select(etl_run.c.year).where(etl_run.c.run_id == run_id))
    if run_year is None:
        raise WarehouseError(f"run {run_id} is not in the warehouse; open it with start_run first")
    if run_year != year:
        raise WarehouseError(f"run {run_id} is a run of {run_year}, it cannot load {year}")


@dataclass(frozen=True)
class VersionChanges:
    """What a new version of a year's values changes against the current one.

    written: the rows to insert (added keys and keys whose value, numerator or denominator differ,
    NULL equal to NULL), VALUE_COLUMNS; retired: the value_ids of current rows they replace or that
    are removed; removed: the keys of the current rows absent from the new version; counts: how
    many keys were added, changed, unchanged, removed.
    """

    written: pl.DataFrame
    retired: list[int]
    removed: pl.DataFrame
    counts: LoadCounts


def version_changes(new: pl.DataFrame, old: pl.DataFrame) -> VersionChanges:
    """``new`` (VALUE_COLUMNS, one row per key) against ``old`` (the current rows, with value_id): the rows a load writes."""
    key = list(VALUE_KEY)
    matched = new.join(old, on=key, how="left", suffix="_old", maintain_order="left")
    same = pl.all_horizontal([pl.col(c).eq_missing(pl.col(f"{c}_old")) for c in VALUE_MEASURES]) & pl.col("value_id").is_not_null()
    is_added = pl.col("value_id").is_null()
    flagged = matched.with_columns(same.alias("__same"), is_added.alias("__added"))
    changed = flagged.filter(~pl.col("__same") & ~pl.col("__added"))
    removed = old.join(new, on=key, how="anti", maintain_order="left")
    counts = LoadCounts(
        added=int(flagged.get_column("__added").sum()),
        changed=changed.height,
        unchanged=int(flagged.get_column("__same").sum()),
        removed=removed.height,
    )
    return VersionChanges(
        written=flagged.filter(~pl.col("__same")).select(VALUE_COLUMNS),
        retired=sorted([*changed.get_column("value_id").to_list(), *removed.get_column("value_id").to_list()]),
        removed=removed.select(key),
        counts=counts,
    )


def replace_values(conn: Connection, run_id: int, year: int, values: pl.DataFrame, scope: ColumnElement[bool] | None = None) -> LoadCounts:
    """Make ``values`` the current version of ``year`` (limited to rows matching ``scope`` when given), writing only what changed.

    Rows of changed and removed keys stop being current; changed and added keys get a new row under
    ``run_id``; removed keys a row marked is_removed (never current), so that the version each run
    published can be told later. Unchanged keys keep their row.
    """
    where = [indicator_value.c.year == year, indicator_value.c.is_current == true()]
    if scope is not None:
        where.append(scope)
    old = fetch_frame(conn, select(indicator_value.c.value_id, *(indicator_value.c[c] for c in VALUE_COLUMNS)).where(*where))
    changes = version_changes(values, old)
    # Retire before inserting: the partial unique index allows one current row per key at any moment.
    if len(changes.retired) == old.height:
        conn.execute(update(indicator_value).where(*where).values(is_current=False))
    else:
        for chunk in _in_chunks(changes.retired):
            conn.execute(update(indicator_value).where(indicator_value.c.value_id.in_(chunk)).values(is_current=False))
    insert_frame(conn, indicator_value, changes.written, fixed={"year": year, "run_id": run_id, "is_current": True, "is_removed": False})
    insert_frame(
        conn,
        indicator_value,
        changes.removed,
        fixed={"year": year, "run_id": run_id, "is_current": False, "is_removed": True},
        optional=VALUE_MEASURES,
    )
    return changes.counts


def _issue_counts(issues: pl.DataFrame) -> tuple[int, int]:
    """(errors, warnings) of an issue frame."""
    if issues.height == 0:
        return 0, 0
    severity = issues.get_column("severity")
    return int((severity == "error").sum()), int((severity == "warning").sum())


def insert_issues(conn: Connection, run_id: int, year: int, issues: pl.DataFrame) -> int:
    """Store every row of the issue frame against ``run_id``; returns the count."""
    optional = [c.name for c in validation_issue.columns if c.nullable]
    return insert_frame(conn, validation_issue, issues, fixed={"run_id": run_id, "year": year}, optional=optional)


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

IN_CHUNK = 5_000
"""Values per IN (...) list of a delete: far below every database's limit on bound parameters."""


def _in_chunks(values: Sequence) -> list[list]:
    return [list(values[offset : offset + IN_CHUNK]) for offset in range(0, len(values), IN_CHUNK)]


def delete_year_rows(conn: Connection, year: int, replacement: Replacement = WHOLE_YEAR) -> None:
    """Delete the stored school-level rows a load replaces: all of the year's, or a correction's changed files' rows."""
    for table in SCHOOL_TABLES.values():
        if replacement.changed_files is None:
            conn.execute(delete(table).where(table.c.year == year))
        else:
            for chunk in _in_chunks(replacement.changed_files):
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


def replace_reporting(conn: Connection, run_id: int, year: int, reporting: pl.DataFrame) -> None:
    """Make ``reporting`` (one row per configured county × table, whole year) the year's completeness, under ``run_id``."""
    conn.execute(delete(county_reporting).where(county_reporting.c.year == year))
    insert_frame(conn, county_reporting, reporting, fixed={"year": year, "run_id": run_id})


def _refuse_moved_base(conn: Connection, year: int, replacement: Replacement) -> None:
    """Raise when a correction's base run is no longer the one behind the year's current values."""
    if replacement.base_run_id is None:
        return
    current = current_run_id(conn, year)
    if current != replacement.base_run_id:
        raise WarehouseError(
            f"year {year} was loaded by run {current} after this correction read run {replacement.base_run_id}'s rows; run it again"
            f" / {year} 年的数据在本次更正读取后又被运行 {current} 更新, 请重新运行"
        )


def _growth_scope() -> ColumnElement[bool]:
    return indicator_value.c.indicator_code.in_(select(indicator.c.indicator_code).where(indicator.c.kind == "growth"))


def refresh_growth(conn: Connection, run_id: int, year: int, growth_values: pl.DataFrame) -> LoadCounts:
    """Make ``growth_values`` the current version of ``year``'s growth indicators only (one row per region per growth code).

    Runs inside the caller's transaction; the caller holds ``year``'s lock (``lock_year``).
    Used when year − 1 is rerun: every current growth row of ``year`` is flipped and the new ones
    inserted under ``run_id`` (the rerun's run), other indicators of the year are untouched.
    """
    what = f"growth refresh of {year}"
    frame = _checked_values(growth_values, what)
    _refuse_unknown(conn, frame, what)
    growth_codes = set(conn.scalars(select(indicator.c.indicator_code).where(indicator.c.kind == "growth")).all())
    strays = sorted(set(frame.get_column("indicator_code").unique().to_list()) - growth_codes)
    if strays:
        raise WarehouseError(f"{what}: {', '.join(strays[:10])} are not growth indicators")
    is_loaded = conn.scalar(
        select(indicator_value.c.value_id).where(indicator_value.c.year == year, indicator_value.c.is_current == true()).limit(1)
    )
    if is_loaded is None:
        raise WarehouseError(f"{what}: year {year} has no current values to refresh")
    return replace_values(conn, run_id, year, frame, scope=_growth_scope())


class YearLoad:
    """One load of a year as ONE open transaction: school rows staged as they arrive, then the values, then commit.

    Entering takes the write lock (and the year's lock), checks the run, and for a whole year deletes
    the year's school rows; ``stage`` inserts a piece of the year's school rows, so that a long parse
    and the writing of millions of rows overlap; ``finish`` writes the values, the run's issues and
    status, and commits. Leaving without ``finish`` (an error, a rejected year) rolls everything back:
    no value, school row or run status of the year changes.
    """

    def __init__(self, engine: Engine, run_id: int, year: int, lock_timeout_s: float, replacement: Replacement = WHOLE_YEAR) -> None:
        self.engine = engine
        self.run_id = run_id
        self.year = year
        self.lock_timeout_s = lock_timeout_s
        self.replacement = replacement
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
            _refuse_other_year(conn, self.run_id, self.year)
            _refuse_moved_base(conn, self.year, self.replacement)
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
        frame = _checked_values(values, what)
        _refuse_unknown(conn, frame, what)
        pause_point("after_tables")
        counts = replace_values(conn, self.run_id, self.year, frame)
        pause_point("after_values")
        notes = []
        replacement = self.replacement
        if replacement.changed_files is not None:
            notes.append(correction_note(replacement))
        if next_year_growth is not None:
            lock_year(conn, self.year + 1, self.lock_timeout_s)
            growth = refresh_growth(conn, self.run_id, self.year + 1, next_year_growth)
            pause_point("after_growth")
            notes.append(
                f"also refreshed the growth indicators of {self.year + 1}: "
                f"{growth.changed} changed, {growth.unchanged} unchanged, {growth.added} added, {growth.removed} removed"
            )
        insert_issues(conn, self.run_id, self.year, issues)
        if reporting is not None:
            replace_reporting(conn, self.run_id, self.year, reporting)
        if input_files is not None:
            insert_frame(conn, input_file, input_files, fixed={"run_id": self.run_id, "year": self.year})
        errors, warnings = _issue_counts(issues)
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
        pause_point("before_commit")
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
) -> LoadCounts:
    """Load a validated year as ONE transaction and mark run ``run_id`` succeeded; returns how its values compare.

    values: one row per region per indicator (VALUE_COLUMNS); staged: the validated tables; issues: the run's warnings (issue frame). With
    ``next_year_growth`` (one row per region per growth code of year + 1) the growth indicators of
    year + 1 are refreshed in the same transaction, under that year's lock too. ``replacement`` says
    which stored rows go (see Replacement); ``input_files`` (source_file, sha256) and ``config_digest``
    are recorded with the run, so that a later correction knows what this version was made from;
    ``reporting`` (county × table completeness of the whole year) replaces the year's county_reporting rows.
    Raises WarehouseBusyError when the year stays locked for ``lock_timeout_s`` seconds.
    """
    with YearLoad(engine, run_id, year, lock_timeout_s, replacement) as load:
        load.stage(dict(staged.items()))
        return load.finish(
            values, issues, next_year_growth=next_year_growth, input_files=input_files, config_digest=config_digest, reporting=reporting
        )


def record_rejection(engine: Engine, run_id: int, year: int, issues: pl.DataFrame, message: str | None) -> None:
    """Store the issues of a rejected run and mark it 'rejected'; no indicator value or school table changes."""
    with write_transaction(engine) as conn:
        _refuse_other_year(conn, run_id, year)
        insert_issues(conn, run_id, year, issues)
        errors, warnings = _issue_counts(issues)
        set_run_status(conn, run_id, "rejected", error_count=errors, warning_count=warnings, message=message)

