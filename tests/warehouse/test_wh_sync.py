"""warehouse/sync.py: the catalogue and the region tree copied from config/, upserted at every run."""

from __future__ import annotations

import sqlalchemy as sa
from wh_data import REGIONS

from config import Region, RegionTree, load_regions
from schemas.catalogue import load_catalogue
from warehouse.migrate import migrate
from warehouse.schema import indicator, region
from warehouse.sync import sync_catalogue, sync_configuration, sync_regions


def test_the_real_configuration_syncs_completely(engine: sa.Engine) -> None:
    migrate(engine)
    catalogue, regions = load_catalogue(), load_regions()
    sync_configuration(engine, catalogue, regions)
    with engine.connect() as conn:
        codes = conn.execute(sa.select(indicator.c.indicator_code).order_by(indicator.c.catalogue_order)).scalars().all()
        growth = conn.execute(
            sa.select(indicator.c.base_code, indicator.c.stage, indicator.c.unit_zh, indicator.c.report_figure).where(
                indicator.c.indicator_code == "budget_per_student_senior_growth"
            )
        ).one()
        linxia = conn.execute(sa.select(region.c.name_zh, region.c.region_level, region.c.parent_code).where(region.c.region_code == "622901")).one()
        region_count = conn.scalar(sa.select(sa.func.count()).select_from(region))
    assert codes == [i.code for i in catalogue.indicators]
    # From config/indicators.toml: base budget_per_student_{stage}, unit percent (%), report -2.77 for senior.
    assert tuple(growth) == ("budget_per_student_senior", "senior", "%", -2.77)
    assert tuple(linxia) == ("临夏市", "county", "622900")
    assert region_count == len(regions.regions)


def test_a_changed_region_file_updates_names_and_keeps_old_regions(engine: sa.Engine) -> None:
    migrate(engine)
    with engine.begin() as conn:
        sync_regions(conn, REGIONS)
    renamed = RegionTree(
        regions=(
            Region(code="620000", name_zh="甘肃省", name_en="Gansu Province", level="province"),
            Region(code="622901", name_zh="临夏市", name_en="Linxia", level="county", parent_code="620000"),
        )
    )
    with engine.begin() as conn:
        sync_regions(conn, renamed)
        sync_regions(conn, renamed)  # twice: still one row per code
    with engine.connect() as conn:
        rows = conn.execute(sa.select(region.c.region_code, region.c.name_en, region.c.parent_code).order_by(region.c.region_code)).all()
    assert [tuple(r) for r in rows] == [
        ("620000", "Gansu Province", None),
        ("622900", "Linxia", "620000"),  # no longer in the file, kept for the values that name it
        ("622901", "Linxia", "620000"),
        ("622921", "Linxia County", "622900"),
    ]


def test_sync_catalogue_refreshes_indicator_wide(engine: sa.Engine) -> None:
    migrate(engine)
    catalogue = load_catalogue()
    with engine.begin() as conn:
        sync_catalogue(conn, catalogue)
    columns = [c["name"] for c in sa.inspect(engine).get_columns("indicator_wide")]
    assert columns[-len(catalogue.indicators) :] == [i.code for i in catalogue.indicators]


def test_a_second_sync_of_the_same_configuration_writes_nothing(engine: sa.Engine) -> None:
    migrate(engine)
    catalogue, regions = load_catalogue(), load_regions()
    sync_configuration(engine, catalogue, regions)
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    sync_configuration(engine, catalogue, regions)
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "CREATE", "DROP"))]
    assert writes == []
    assert any(s.lstrip().upper().startswith("SELECT") for s in statements)
