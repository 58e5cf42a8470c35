"""Copy the catalogue and the region hierarchy from config/ into the warehouse (upsert, never delete).

Rows are never deleted: values loaded under an older region file or catalogue still reference them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from config import Catalogue, RegionTree
from warehouse.engine import write_transaction
from warehouse.migrate import refresh_indicator_wide
from warehouse.schema import indicator, region


def changed_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of ``rows`` that ``table`` lacks or holds with other values (a run with the same config writes nothing)."""
    names = [c.name for c in table.columns]
    stored = {tuple(row) for row in conn.execute(select(*(table.c[name] for name in names))).all()}
    return [row for row in rows if tuple(row.get(name) for name in names) not in stored]


def upsert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    """Insert ``rows`` into ``table``, updating every non-key column of rows whose primary key exists; returns the row count."""
    if not rows:
        return 0
    dialect_insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(conn.dialect.name)
    if dialect_insert is None:
        raise NotImplementedError(f"upsert is implemented for SQLite and PostgreSQL, not {conn.dialect.name}")
    statement = dialect_insert(table)
    keys = [c.name for c in table.primary_key.columns]
    updates = {c.name: statement.excluded[c.name] for c in table.columns if c.name not in keys}
    conn.execute(statement.on_conflict_do_update(index_elements=keys, set_=updates), list(rows))
    return len(rows)


def sync_catalogue(conn: Connection, catalogue: Catalogue) -> int:
    """Upsert one ``indicator`` row per catalogue code (names, unit, kind, report figure, catalogue order); returns the count."""
    rows = [
        {
            "indicator_code": item.code,
            "name_zh": item.name_zh,
            "name_en": item.name_en,
            "section": item.section,
            "section_name_zh": catalogue.sections[item.section].get("name_zh"),
            "section_name_en": catalogue.sections[item.section].get("name_en"),
            "kind": item.kind,
            "unit": item.unit,
            "unit_zh": item.unit_zh,
            "unit_en": item.unit_en,
            "scale": float(item.scale),
            "levels": item.levels,
            "definition": item.definition,
            "base_code": item.base,
            "stage": item.stage,
            "measure": item.measure,
            "report_figure": item.report,
            "report_text": item.report_text,
            "catalogue_order": position,
        }
        for position, item in enumerate(catalogue.indicators, start=1)
    ]
    changed = changed_rows(conn, indicator, rows)
    if changed:
        upsert(conn, indicator, changed)
        # indicator_wide has one column per code of the indicator table, so it follows the catalogue.
        refresh_indicator_wide(conn)
    return len(rows)


def sync_regions(conn: Connection, regions: RegionTree) -> int:
    """Upsert one ``region`` row per region of the file, partial ones with the names their values are shown under; returns the count."""
    shown = regions.shown_names()
    rows = [
        {
            "region_code": item.code,
            "name_zh": item.name_zh,
            "name_en": item.name_en,
            "region_level": item.level,
            "parent_code": item.parent_code,
            "is_partial": item.partial,
            "partial_name_zh": shown[item.code][0] if item.partial else None,
            "partial_name_en": shown[item.code][1] if item.partial else None,
        }
        for item in regions.regions
    ]
    upsert(conn, region, changed_rows(conn, region, rows))
    return len(rows)


def sync_configuration(engine: Engine, catalogue: Catalogue, regions: RegionTree) -> None:
    """Sync the catalogue and the region tree in one write transaction (on SQLite it queues for the write lock up front)."""
    with write_transaction(engine) as conn:
        sync_catalogue(conn, catalogue)
        sync_regions(conn, regions)
