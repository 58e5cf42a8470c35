"""warehouse/migrate.py: create, then a no-op on every later call."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from warehouse.errors import WarehouseError
from warehouse.migrate import LATEST_VERSION, migrate
from warehouse.schema import region, schema_version

CONTRACT_TABLES = {
    "region",
    "indicator",
    "etl_run",
    "indicator_value",
    "validation_issue",
    "schools",
    "enrollment",
    "staff",
    "security",
    "facilities",
    "funding",
    "population",
    "schema_version",
}


def test_migrate_creates_every_table_and_the_view(engine: sa.Engine) -> None:
    assert migrate(engine) == LATEST_VERSION
    inspector = sa.inspect(engine)
    assert CONTRACT_TABLES <= set(inspector.get_table_names())
    assert "indicator_current" in inspector.get_view_names()


def test_migrate_twice_is_idempotent_and_keeps_data(engine: sa.Engine) -> None:
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(sa.insert(region).values(region_code="620000", name_zh="甘肃省", name_en="Gansu", region_level="province"))
    assert migrate(engine) == LATEST_VERSION
    with engine.connect() as conn:
        versions = conn.execute(sa.select(schema_version.c.version)).scalars().all()
        regions = conn.execute(sa.select(region.c.region_code)).scalars().all()
    # One stamp from the first call; the second call adds nothing and drops nothing.
    assert versions == [LATEST_VERSION]
    assert regions == ["620000"]


def test_migrate_refuses_a_newer_schema(engine: sa.Engine) -> None:
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(sa.insert(schema_version).values(version=LATEST_VERSION + 1, description="future", applied_at=sa.func.now()))
    with pytest.raises(WarehouseError, match="newer than this edustat"):
        migrate(engine)
