"""`edustat indicators --lang en`: the terminal table in English."""

from __future__ import annotations

from pathlib import Path

from cli_builders import load_2020, prepared_warehouse, staged_tables
from typer.testing import CliRunner

from warehouse.engine import dispose_engines


def test_lang_en_shows_english_region_and_indicator_names(tmp_path: Path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'warehouse.db'}"
    prepared_warehouse(url)
    load_2020(url, "first load", [("622901", "guard_rate_schools", 50.0, 1.0, 2.0)], staged_tables())
    monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", url)
    from edustat.cli.app import app

    try:
        english = CliRunner().invoke(app, ["indicators", "--year", "2020", "--lang", "en"])
        chinese = CliRunner().invoke(app, ["indicators", "--year", "2020"])
    finally:
        dispose_engines()
    assert english.exit_code == 0, english.stderr
    # Names as config/regions.toml and config/indicators.toml write them in English, and not the Chinese ones.
    assert "Primary and secondary schools with full-time guards" in english.stdout and "中小学专职保安配备率" not in english.stdout
    assert "临夏市" in chinese.stdout and "中小学专职保安配备率" in chinese.stdout
