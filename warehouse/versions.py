"""Versions of a year's values: a load writes a row for each value it adds, changes or removes, and retires the rows they replace.

Every successful run writes, in its load's transaction, a row for each value of its year that it
adds, changes (NULL values included) or removes, and flips the rows they replace to
``is_current = false``; values it does not change keep their row.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import ColumnElement, Connection, select, true, update

from warehouse.bulk import in_chunks, insert_frame
from warehouse.errors import WarehouseError
from warehouse.frames import fetch_frame
from warehouse.schema import indicator, indicator_value, region

VALUE_KEY = ("region_code", "indicator_code")
VALUE_MEASURES = ("value", "numerator", "denominator")
VALUE_COLUMNS = (*VALUE_KEY, *VALUE_MEASURES)
"""The values frame: one row per region per indicator of the year (extra columns such as region_level are ignored)."""


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


def checked_values(values: pl.DataFrame, what: str) -> pl.DataFrame:
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


def refuse_unknown(conn: Connection, frame: pl.DataFrame, what: str) -> None:
    """Raise when the frame names a region or indicator that sync_regions/sync_catalogue did not store."""
    for column, table, key in (("region_code", region, region.c.region_code), ("indicator_code", indicator, indicator.c.indicator_code)):
        known = set(conn.scalars(select(key)).all())
        unknown = sorted(set(frame.get_column(column).unique().to_list()) - known)
        if unknown:
            raise WarehouseError(f"{what}: {column} {', '.join(unknown[:10])} not in table {table.name}; sync the configuration first")


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
        for chunk in in_chunks(changes.retired):
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
