"""The analysts' views: indicator_wide (generated from the catalogue), run_history, and their migration."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from wh_data import CATALOGUE, REGIONS, _indicator, new_run, staged_tables, values_frame

from config import Catalogue
from schemas.issues import empty_issues, issue_frame
from warehouse.coltypes import utc_now
from warehouse.errors import WarehouseError
from warehouse.load import load_year
from warehouse.migrate import LATEST_VERSION, migrate, refresh_indicator_wide
from warehouse.rejection import record_rejection
from warehouse.schema import INDICATOR_CURRENT_SQL, indicator_wide_sql, metadata, schema_version
from warehouse.sync import sync_catalogue, sync_regions

ANALYST_VIEWS = {"indicator_wide", "run_history", "reporting_status"}
SCHOOLS = [("6229010001", "一小"), ("6229010002", "二小")]


def _load(engine: sa.Engine, year: int, values, reason: str = "test") -> int:
    run_id = new_run(engine, year, reason=reason)
    load_year(engine, run_id, year, values, staged_tables(SCHOOLS), empty_issues(), 5)
    return run_id


def _refresh(engine: sa.Engine) -> list[str]:
    with engine.begin() as conn:
        return refresh_indicator_wide(conn)


def _rows(engine: sa.Engine, sql: str) -> list[dict]:
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(sa.text(sql)).mappings()]


def test_migrate_creates_the_analyst_views(engine: sa.Engine) -> None:
    migrate(engine)
    assert ANALYST_VIEWS <= set(sa.inspect(engine).get_view_names())


def test_indicator_wide_has_one_row_per_year_and_region_and_one_column_per_code(warehouse: sa.Engine) -> None:
    assert _refresh(warehouse) == ["ratio_a", "sum_b", "sum_b_growth"]
    _load(warehouse, 2020, values_frame([("622901", "ratio_a", 90.0, 45.0, 50.0), ("622901", "sum_b", 10.0, 10.0, None)]))
    # A second version of 2020: only its values may show (622901 ratio_a 90 → 80; 622921 appears).
    _load(warehouse, 2020, values_frame([("622901", "ratio_a", 80.0, 40.0, 50.0), ("622921", "sum_b", 3.0, 3.0, None)]))
    _load(warehouse, 2019, values_frame([("622900", "sum_b", 7.0, 7.0, None)]))
    rows = _rows(warehouse, "SELECT * FROM indicator_wide ORDER BY year, region_code")
    assert list(rows[0]) == ["year", "region_code", "region_level", "region_name_zh", "region_name_en", "is_partial", "ratio_a", "sum_b", "sum_b_growth"]
    assert [(r["year"], r["region_code"], r["region_level"], r["region_name_zh"], r["ratio_a"], r["sum_b"], r["sum_b_growth"]) for r in rows] == [
        (2019, "622900", "prefecture", "临夏回族自治州", None, 7.0, None),
        (2020, "622901", "county", "临夏市", 80.0, None, None),  # sum_b of 622901 is not in the current version
        (2020, "622921", "county", "临夏县", None, 3.0, None),
    ]


def test_indicator_wide_follows_the_catalogue_when_refreshed(warehouse: sa.Engine) -> None:
    _refresh(warehouse)
    grown = Catalogue(
        indicators=(*CATALOGUE.indicators, _indicator("new_share", "ratio", "percent")),
        sections=CATALOGUE.sections,
        report_region=CATALOGUE.report_region,
        report_year=CATALOGUE.report_year,
    )
    with warehouse.begin() as conn:
        sync_catalogue(conn, grown)
        assert refresh_indicator_wide(conn)[-1] == "new_share"
    _load(warehouse, 2020, values_frame([("622901", "new_share", 12.5, 1.0, 8.0)]))
    assert _rows(warehouse, "SELECT region_code, new_share FROM indicator_wide") == [{"region_code": "622901", "new_share": 12.5}]


def test_indicator_wide_sql_refuses_codes_that_cannot_be_columns() -> None:
    with pytest.raises(ValueError, match="collides"):
        indicator_wide_sql(["region_code"], lambda name: f'"{name}"')
    with pytest.raises(ValueError, match="longer than 63"):
        indicator_wide_sql(["x" * 64], lambda name: f'"{name}"')
    # A quote in a code is escaped in the literal, not able to end it.
    assert "= 'a''b' THEN" in indicator_wide_sql(["a'b"], lambda name: f'"{name}"')


def test_run_history_counts_what_each_run_wrote(warehouse: sa.Engine) -> None:
    first = _load(warehouse, 2020, values_frame([("622901", "ratio_a", 90.0, 45.0, 50.0), ("622901", "sum_b", 10.0, 10.0, None)]), reason="first")
    second = _load(warehouse, 2020, values_frame([("622901", "ratio_a", 80.0, 40.0, 50.0), ("622901", "sum_b", 10.0, 10.0, None)]), reason="fix")
    rejected = new_run(warehouse, 2020, reason="broken")
    issues = issue_frame([{"severity": "error", "rule": "r", "message_zh": "错", "message_en": "bad"}] * 3)
    record_rejection(warehouse, rejected, 2020, issues, "3 errors")
    rows = _rows(
        warehouse,
        "SELECT run_id, status, reason, values_added, values_changed, values_unchanged, value_rows, current_value_rows, "
        "issue_rows, error_count FROM run_history ORDER BY run_id",
    )
    assert [tuple(r.values()) for r in rows] == [
        # first: 2 rows written; the second run replaced ratio_a → sum_b's row is still current.
        (first, "succeeded", "first", 2, 0, 0, 2, 1, 0, 0),
        # second: ratio_a changed (its one row written, current), sum_b unchanged (nothing written).
        (second, "succeeded", "fix", 0, 1, 1, 1, 1, 0, 0),
        (rejected, "rejected", "broken", None, None, None, 0, 0, 3, 3),
    ]


def test_a_version_1_warehouse_gets_the_views_by_migration(engine: sa.Engine) -> None:
    # Version 1 as it was shipped: every table and the indicator_current view, with the catalogue synced.
    with engine.begin() as conn:
        metadata.create_all(conn)
        conn.execute(sa.text(INDICATOR_CURRENT_SQL))
        conn.execute(sa.insert(schema_version).values(version=1, description="v1", applied_at=utc_now()))
        sync_catalogue(conn, CATALOGUE)
        sync_regions(conn, REGIONS)
        # Today's sync also builds indicator_wide; version 1's did not.
        conn.execute(sa.text("DROP VIEW indicator_wide"))
    assert not ANALYST_VIEWS & set(sa.inspect(engine).get_view_names())
    assert migrate(engine) == LATEST_VERSION == 8
    assert ANALYST_VIEWS <= set(sa.inspect(engine).get_view_names())
    with engine.connect() as conn:
        assert conn.execute(sa.select(schema_version.c.version).order_by(schema_version.c.version)).scalars().all() == [1, 2, 3, 4, 5, 6, 7, 8]
    columns = [c["name"] for c in sa.inspect(engine).get_columns("indicator_wide")]
    assert columns[6:] == ["ratio_a", "sum_b", "sum_b_growth"]


def test_refresh_reports_an_unusable_code_as_a_warehouse_error(warehouse: sa.Engine) -> None:
    bad = Catalogue(
        indicators=(_indicator("year", "sum", "persons"),),
        sections=CATALOGUE.sections,
        report_region=CATALOGUE.report_region,
        report_year=CATALOGUE.report_year,
    )
    with warehouse.begin() as conn, pytest.raises(WarehouseError, match="indicator_wide"):
        sync_catalogue(conn, bad)

