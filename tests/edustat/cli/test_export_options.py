"""The table-exporting commands share --format and --out: an xlsx export without --out is a usage error on each."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_runner import run_edustat

COMMANDS = {
    "runs": [],
    "history": ["--year", "2020"],
    "trace": ["--year", "2020", "--indicator", "preschool_ger"],
    "query": ["select 1"],
    "indicators": ["--year", "2020"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_xlsx_without_out_is_refused_before_any_work(command: str, tmp_path: Path) -> None:
    env = {"EDUSTAT_WAREHOUSE_URL": f"sqlite:///{tmp_path / 'none.db'}"}
    refused = run_edustat(command, *COMMANDS[command], "--format", "xlsx", cwd=tmp_path, env=env)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "--format xlsx needs --out FILE.xlsx / xlsx 格式需要 --out 文件" in " ".join(refused.stderr.split()), refused.stderr
    assert not (tmp_path / "none.db").exists()  # refused before the warehouse was opened
