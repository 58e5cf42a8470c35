"""Tiny warehouses for the command-line tests: the default configuration synced, and 2020 loaded from given values and rows."""

from __future__ import annotations

import polars as pl

from config import load_regions
from schemas.catalogue import load_catalogue
from schemas.issues import empty_issues
from schemas.staged import StagedTables
from schemas.tables import TABLES, staged_dtypes
from warehouse.engine import get_engine
from warehouse.load import load_year
from warehouse.migrate import migrate
from warehouse.runs import start_run
from warehouse.sync import sync_configuration

VALUE_SCHEMA = {"region_code": pl.String, "indicator_code": pl.String, "value": pl.Float64, "numerator": pl.Float64, "denominator": pl.Float64}


def staged_frame(name: str, rows: list[dict]) -> pl.DataFrame:
    """A staged frame of table ``name`` from the given rows (other columns NULL), with provenance in 622901.xlsx."""
    dtypes = {column: getattr(pl, dtype) for column, dtype in staged_dtypes(name).items()}
    provenance = {"source_file": "622901.xlsx", "source_sheet": TABLES[name].sheet_zh}
    return pl.DataFrame([{c: ({**provenance, "source_row": i + 2} | row).get(c) for c in dtypes} for i, row in enumerate(rows)], schema=dtypes)


def staged_tables(**rows: list[dict]) -> StagedTables:
    """StagedTables with the given rows per table name; tables not named are empty."""
    return StagedTables(**{name: staged_frame(name, rows.get(name, [])) for name in TABLES})


def prepared_warehouse(url: str) -> None:
    """Migrate the warehouse at ``url`` and sync the project's catalogue and default region file into it."""
    engine = get_engine(url)
    migrate(engine)
    sync_configuration(engine, load_catalogue(), load_regions())


def load_2020(url: str, reason: str, values: list[tuple[str, str, float | None, float | None, float | None]], staged: StagedTables | None = None) -> int:
    """One succeeded run of 2020 writing ``values`` (region, indicator, value, numerator, denominator) and ``staged``; its run id."""
    engine = get_engine(url)
    run_id = start_run(engine, 2020, "manual", reason, f"fingerprint {reason}")
    frame = pl.DataFrame(values, schema=VALUE_SCHEMA, orient="row")
    load_year(engine, run_id, 2020, frame, staged or staged_tables(), empty_issues(), 5)
    return run_id
