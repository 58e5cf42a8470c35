"""`edustat trace`: the schools behind a stored value, whether they add up, and what the terminal shows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from cli_builders import load_2020, prepared_warehouse, staged_tables
from typer.testing import CliRunner

from schemas.staged import StagedTables
from warehouse.engine import dispose_engines

SCHOOLS = ("6229010001", "6229010002", "6229010003")


def _staged() -> StagedTables:
    """Three primary schools of 临夏市: 2 and 0 guards and one without a security row."""
    return staged_tables(
        schools=[
            {"school_code": code, "school_name": f"小学{n}", "county_code": "622901", "school_type_code": "211", "urban_rural_code": "111", "ownership": "public"}
            for n, code in enumerate(SCHOOLS)
        ],
        enrollment=[{"school_code": code, "stage": "primary", "students": 100} for code in SCHOOLS],
        security=[{"school_code": SCHOOLS[0], "guards": 2}, {"school_code": SCHOOLS[1], "guards": 0}],
        population=[{"county_code": "622901", "age_3_5": 10, "age_6_11": 0, "age_12_14": 0, "age_15_17": 0}],
    )


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """2020 loaded with the three schools; 临夏市's guard rate stored as the engine would (1 of 3 schools), the prefecture's off by one."""
    url = f"sqlite:///{tmp_path / 'warehouse.db'}"
    prepared_warehouse(url)
    load_2020(url, "first load", [("622901", "guard_rate_schools", 100 / 3, 1.0, 3.0), ("622900", "guard_rate_schools", 50.0, 2.0, 4.0)], _staged())
    monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", url)
    yield url
    dispose_engines()


def _invoke(*args: str) -> tuple[int, str, str]:
    from edustat.cli import commands  # noqa: F401  (registers the commands)
    from edustat.cli.app import app

    result = CliRunner().invoke(app, ["trace", "--year", "2020", *args])
    return result.exit_code, result.stdout, result.stderr


def test_rows_name_each_school_and_add_up_to_the_stored_value(warehouse: str) -> None:
    code, out, err = _invoke("--indicator", "guard_rate_schools", "--region", "622901", "--format", "csv")
    assert code == 0, err
    rows = pl.read_csv(out.encode(), schema_overrides={"school_code": pl.String, "county_code": pl.String})
    # 2 guards → 1; 0 guards → 0; no security row → no guard, 0; each school counts once in the denominator.
    assert rows.select("school_code", "school_name", "numerator", "denominator").rows() == [
        ("6229010001", "小学0", 1.0, 1.0),
        ("6229010002", "小学1", 0.0, 1.0),
        ("6229010003", "小学2", 0.0, 1.0),
    ]
    assert "3 rows: numerator 1, denominator 3" in err and "they add up" in err


def test_a_stored_value_the_rows_do_not_make_is_flagged(warehouse: str) -> None:
    # The prefecture holds only 临夏市's schools here, yet its stored value says 2 of 4.
    code, _, err = _invoke("--indicator", "guard_rate_schools", "--region", "622900", "--format", "csv")
    assert code == 0
    assert "they differ" in err


def test_the_terminal_table_is_cut_with_a_note(warehouse: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("edustat.cli.commands.trace.TABLE_ROWS", 2)
    code, out, err = _invoke("--indicator", "guard_rate_schools", "--region", "622901")
    assert code == 0
    assert "the first 2 of 3 rows are shown" in err
    assert "6229010002" in out and "6229010003" not in out


def test_unknown_things_exit_with_a_message(warehouse: str) -> None:
    assert _invoke("--indicator", "budget_total_growth", "--region", "622901")[0] == 1  # no value stored for it here
    code, _, err = _invoke("--indicator", "guard_rate_schools", "--region", "999999")
    assert code == 2 and "999999" in err
    code, _, err = _invoke("--indicator", "no_such_indicator")
    assert code == 2 and "unknown indicator code" in err


def test_regions_option_picks_the_region_file(warehouse: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # --regions is passed on through the environment (apply_overrides): undone after the test, for the tests after it.
    monkeypatch.setenv("EDUSTAT_REGIONS_FILE", str(Path(__file__).resolve().parents[3] / "config" / "regions.toml"))
    # A region file without 临夏市: the same call that succeeds with the default file must now refuse the region.
    other = tmp_path / "regions.toml"
    other.write_text(
        '[[region]]\ncode = "620000"\nname_zh = "甘肃省"\nname_en = "Gansu"\nlevel = "province"\n\n'
        '[[region]]\ncode = "622900"\nname_zh = "临夏州"\nname_en = "Linxia"\nlevel = "prefecture"\nparent_code = "620000"\n\n'
        '[[region]]\ncode = "622921"\nname_zh = "临夏县"\nname_en = "Linxia County"\nlevel = "county"\nparent_code = "622900"\n',
        encoding="utf-8",
    )
    assert _invoke("--indicator", "guard_rate_schools", "--region", "622901")[0] == 0
    code, _, err = _invoke("--indicator", "guard_rate_schools", "--region", "622901", "--regions", str(other))
    assert code == 2 and "622901 is not in the region file" in err
