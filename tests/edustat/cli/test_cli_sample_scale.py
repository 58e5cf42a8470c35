"""`edustat sample --schools N` and `--scale`: a synthetic tree's workbooks and region file, or a clear usage error."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from config import load_regions
import edustat.cli.commands  # noqa: F401 - registers the commands on the app
from edustat.cli import app


def test_schools_option_writes_workbooks_and_their_region_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["sample", "--out", str(tmp_path), "--schools", "400", "--years", "2020", "--workers", "1"])
    assert result.exit_code == 0, result.output
    regions = load_regions(tmp_path / "regions.toml")
    counties = {r.code for r in regions.regions if r.level == "county"}
    # 400 / (530000 / 2800) = 2.1 → 2 counties, one workbook each
    assert len(counties) == 2
    assert {p.name.split("_")[0] for p in (tmp_path / "2020").rglob("*.xlsx")} == counties
    assert "--regions" in result.output


def test_scale_and_schools_together_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["sample", "--out", str(tmp_path), "--scale", "national", "--schools", "10"])
    assert result.exit_code == 2
    assert not any(tmp_path.iterdir())
