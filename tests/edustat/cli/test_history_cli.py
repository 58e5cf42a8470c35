"""`edustat history`: every version of a value with its run and reason, and what one run moved against another."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_builders import load_2020, prepared_warehouse
from typer.testing import CliRunner

from warehouse.engine import dispose_engines, get_engine
from warehouse.runs import finish_run, start_run

EDUSTAT = str(Path(sys.executable).with_name("edustat"))


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Two loads of 2020: a first one, then a correction that moves 临夏市's preschool GER from 90 % to 92.5 %."""
    url = f"sqlite:///{tmp_path / 'warehouse.db'}"
    prepared_warehouse(url)
    load_2020(url, "first load", [("622901", "preschool_ger", 90.0, 900.0, 1000.0), ("622921", "preschool_ger", 80.0, 800.0, 1000.0)])
    load_2020(url, "临夏市 correction", [("622901", "preschool_ger", 92.5, 925.0, 1000.0), ("622921", "preschool_ger", 80.0, 800.0, 1000.0)])
    monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", url)  # restored after the test, whatever the command sets
    yield url
    dispose_engines()


def _invoke(*args: str) -> tuple[int, str]:
    from edustat.cli import commands  # noqa: F401  (registers the commands)
    from edustat.cli.app import app

    result = CliRunner().invoke(app, ["history", *args])
    return result.exit_code, result.output


def test_every_version_with_run_reason_and_change(warehouse: str) -> None:
    # As the user runs it: a separate process.
    result = subprocess.run(
        [EDUSTAT, "history", "--year", "2020", "--indicator", "preschool_ger", "--region", "622901", "--format", "csv", "--warehouse", warehouse],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["version"], r["run_id"], r["reason"], r["is_current"]) for r in rows] == [
        ("1", "1", "first load", "false"),
        ("2", "2", "临夏市 correction", "true"),
    ]
    assert rows[0]["previous_value"] == "" and rows[0]["change"] == ""  # nothing before the first version
    assert (float(rows[1]["previous_value"]), float(rows[1]["value"])) == (90.0, 92.5)
    assert float(rows[1]["change"]) == 2.5  # 92.5 − 90
    assert rows[1]["trigger"] == "manual" and rows[1]["started_at"] != ""


def test_changed_only_keeps_versions_that_moved(warehouse: str) -> None:
    code, output = _invoke("--year", "2020", "--changed-only", "--format", "json")
    assert code == 0, output
    assert [(r["region_code"], r["previous_value"], r["value"]) for r in json.loads(output)] == [("622901", 90.0, 92.5)]


def test_two_runs_show_what_the_correction_moved(warehouse: str) -> None:
    code, output = _invoke("--year", "2020", "--run", "1", "--run", "2", "--format", "json")
    assert code == 0, output
    [moved] = json.loads(output)  # 临夏县 (622921) did not move, so it is not listed
    assert (moved["region_code"], moved["indicator_code"], moved["change"]) == ("622901", "preschool_ger", "changed")
    assert (moved["value_a"], moved["value_b"], moved["change_value"]) == (90.0, 92.5, 2.5)
    assert (moved["run_a"], moved["run_b"]) == (1, 2)

    code, output = _invoke("--year", "2020", "--run", "1", "--run", "2")
    assert code == 0, output
    assert "B = run 2 of 2020 (manual, succeeded" in output and "reason: 临夏市 correction" in output
    assert "1 value of 2020 differs from A to B" in output
    assert "90.0" in output and "92.5" in output and "changed" in output


def test_table_lists_reasons(warehouse: str) -> None:
    code, output = _invoke("--year", "2020", "--indicator", "preschool_ger")
    assert code == 0, output
    # Two regions loaded first; the correction rewrote only 临夏市 (622921's value did not change).
    assert output.count("first load") == 2 and output.count("临夏市 correction") == 1


def test_wrong_usage_and_unknown_things(warehouse: str, tmp_path: Path) -> None:
    assert _invoke("--year", "2020", "--run", "1")[0] == 2  # --run needs a partner
    code, output = _invoke("--year", "2020", "--run", "1", "--run", "99")
    assert code == 1 and "run 99 is not in the warehouse" in output
    unchanged = start_run(get_engine(warehouse), 2020, "manual", "same files", "fingerprint same")
    finish_run(get_engine(warehouse), unchanged, "unchanged")
    code, output = _invoke("--year", "2020", "--run", "1", "--run", str(unchanged))
    assert code == 1 and f"run {unchanged} was unchanged and wrote no values" in output
    code, output = _invoke("--year", "2019")
    assert code == 1 and "no values of 2019" in output
    code, output = _invoke("--year", "2020", "--warehouse", f"sqlite:///{tmp_path / 'empty.db'}")
    assert code == 1 and "no edustat warehouse" in output
