"""Tiny data for the report tier: hand-made frames for the pure functions and tiny warehouses built with the warehouse loaders."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import sqlalchemy as sa

from config import Region, RegionTree
from schemas.catalogue import load_catalogue
from schemas.issues import empty_issues
from schemas.report_frames import ReportFrames
from schemas.staged import StagedTables
from schemas.tables import TABLES, staged_dtypes
from warehouse.load import load_year
from warehouse.migrate import migrate
from warehouse.runs import start_run
from warehouse.sync import sync_catalogue, sync_regions

PREFECTURE = "622900"
COUNTIES = ("622901", "622921", "622922")
REGIONS = RegionTree(
    regions=(
        Region(code="620000", name_zh="甘肃省", name_en="Gansu", level="province"),
        Region(code=PREFECTURE, name_zh="临夏回族自治州", name_en="Linxia", level="prefecture", parent_code="620000"),
        Region(code="622901", name_zh="临夏市", name_en="Linxia City", level="county", parent_code=PREFECTURE),
        Region(code="622921", name_zh="临夏县", name_en="Linxia County", level="county", parent_code=PREFECTURE),
        Region(code="622922", name_zh="康乐县", name_en="Kangle", level="county", parent_code=PREFECTURE),
    )
)
TARGETS = {"senior_ger": {"province": 95.0, "national": 91.2}, "vocational_entrant_share": {"province": 40.0, "national": 50.0}}

# 2020: the prefecture's figures are those the 2021 report publishes where it publishes one.
VALUES_2020: dict[str, dict[str, float]] = {
    PREFECTURE: {
        "preschool_ger": 95.42,
        "preschool_public_share": 73.0,
        "preschool_inclusive_coverage": 96.0,
        "inclusive_private_kindergartens": 164.0,
        "senior_ger": 81.2,
        "vocational_entrant_share": 30.0,
        "budget_total_10k_yuan": 512345.6,
        "budget_total_growth": 15.81,
        "budget_per_student_senior_growth": -2.77,
        "public_funds_total_10k_yuan": 75208.84,
        # The report's six figures; 11555.04 + 18960.35 + 8798.61 + 13809.6 + 16435.88 + 5649.36 = 75208.84.
        "public_funds_preschool_10k_yuan": 11555.04,
        "public_funds_primary_10k_yuan": 18960.35,
        "public_funds_junior_10k_yuan": 8798.61,
        "public_funds_senior_10k_yuan": 13809.6,
        "public_funds_vocational_10k_yuan": 16435.88,
        "public_funds_higher_vocational_10k_yuan": 5649.36,
        "guard_rate_schools": 82.0,
    },
    "622901": {"preschool_ger": 97.5, "senior_ger": 88.0, "vocational_entrant_share": 35.0, "guard_rate_schools": 90.0,
               "balance_cv_pass_primary": 1.0, "balance_school_pass_share_primary": 80.0},
    "622921": {"preschool_ger": 93.1, "senior_ger": 79.5, "vocational_entrant_share": 28.0, "guard_rate_schools": 80.0,
               "balance_cv_pass_primary": 0.0, "balance_school_pass_share_primary": 60.0},
    "622922": {"preschool_ger": 90.0, "senior_ger": 70.25, "vocational_entrant_share": 25.0, "guard_rate_schools": 75.0,
               "balance_cv_pass_primary": 1.0, "balance_school_pass_share_primary": 100.0},
}
VALUES_2019: dict[str, dict[str, float]] = {
    PREFECTURE: {"preschool_ger": 93.0, "senior_ger": 80.0},
    "622901": {"preschool_ger": 95.0},
    "622921": {"preschool_ger": 92.0},
    "622922": {"preschool_ger": 91.0},
}


def values_frame(values: dict[str, dict[str, float | None]]) -> pl.DataFrame:
    """A values frame (region_code, indicator_code, value, numerator, denominator): one row per region per indicator given."""
    rows = [(region, code, value, value, None) for region, codes in values.items() for code, value in codes.items()]
    schema = {"region_code": pl.String, "indicator_code": pl.String, "value": pl.Float64, "numerator": pl.Float64, "denominator": pl.Float64}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _regions_frame() -> pl.DataFrame:
    return pl.DataFrame(
        [(r.code, r.name_zh, r.name_en, r.level, r.parent_code) for r in REGIONS.regions],
        schema={"region_code": pl.String, "name_zh": pl.String, "name_en": pl.String, "region_level": pl.String, "parent_code": pl.String},
        orient="row",
    )


def _indicators_frame() -> pl.DataFrame:
    catalogue = load_catalogue()
    return pl.DataFrame(
        [
            (i.code, i.name_zh, i.name_en, i.section, catalogue.sections[i.section]["name_zh"], catalogue.sections[i.section]["name_en"], i.unit, i.unit_zh, i.unit_en, n)
            for n, i in enumerate(catalogue.indicators, start=1)
        ],
        schema=["indicator_code", "name_zh", "name_en", "section", "section_name_zh", "section_name_en", "unit", "unit_zh", "unit_en", "catalogue_order"],
        orient="row",
    )


def report_frames(values: dict | None = None, previous: dict | None = None, year: int = 2020, reason: str = "first delivery") -> ReportFrames:
    """ReportFrames made by hand (no warehouse): the real catalogue, REGIONS, one run (id 1) behind every value."""
    current = values_frame(VALUES_2020 if values is None else values).select("region_code", "indicator_code", "value").with_columns(run_id=pl.lit(1, pl.Int64))
    before = values_frame(VALUES_2019 if previous is None else previous).select("region_code", "indicator_code", "value").with_columns(run_id=pl.lit(1, pl.Int64))
    finished = datetime(2021, 3, 1, 2, 5, tzinfo=UTC)
    runs = pl.DataFrame(
        [{"run_id": 1, "year": year, "status": "succeeded", "trigger": "manual", "reason": reason, "started_at": finished, "finished_at": finished}]
    )
    return ReportFrames(year=year, values=current, previous=before, regions=_regions_frame(), indicators=_indicators_frame(), runs=runs)


def empty_staged() -> StagedTables:
    """Staged tables with no rows (the report reads values only)."""
    return StagedTables(**{name: pl.DataFrame(schema={c: getattr(pl, d) for c, d in staged_dtypes(name).items()}) for name in TABLES})


def prepare_warehouse(url: str) -> sa.Engine:
    """A migrated warehouse at ``url`` holding the real catalogue and REGIONS."""
    from warehouse.engine import make_engine

    engine = make_engine(url)
    migrate(engine)
    with engine.begin() as conn:
        sync_catalogue(conn, load_catalogue())
        sync_regions(conn, REGIONS)
    return engine


def load(engine: sa.Engine, year: int, values: dict[str, dict[str, float | None]], reason: str = "test") -> int:
    """Load ``values`` as a new version of ``year`` by a new manual run; returns its run_id."""
    run_id = start_run(engine, year, "manual", reason, f"fp-{year}-{reason}", None)
    load_year(engine, run_id, year, values_frame(values), empty_staged(), empty_issues(), 5)
    return run_id
