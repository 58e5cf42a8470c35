"""--indicators FILE on the command line: every command that reads the catalogue takes it, and refuses a broken one
(exit 2) before any input is read or anything is written."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.config.catalogue_files import catalogue_file, entry
from tests.edustat.cli.test_cli import edustat

CATALOGUE_COMMANDS = ["run", "validate", "indicators", "trace", "demo", "serve"]


@pytest.mark.parametrize("command", CATALOGUE_COMMANDS)
def test_every_command_that_reads_the_catalogue_takes_indicators(command: str, tmp_path: Path) -> None:
    result = edustat(command, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "--indicators" in result.stdout


def _broken(folder: Path) -> Path:
    """A catalogue whose one entry mistypes an operator."""
    mistyped = entry("guard_rate_mistyped", '{ table = "security", where = ["guards => 1"] }', '{ table = "schools" }')
    return catalogue_file(folder, mistyped, name="broken.toml")


def _assert_refused(result: subprocess.CompletedProcess[str], path: Path) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    said = " ".join((result.stdout + result.stderr).split())
    assert "Traceback" not in said
    assert f"{path}: indicator guard_rate_mistyped, numerator.where[0]: unknown operator '=>'" in said
    assert f"{path}：指标 guard_rate_mistyped，numerator.where[0]：条件“guards => 1”中的运算符“=>”未知" in said


def test_run_and_validate_refuse_a_broken_catalogue_before_reading_input(tmp_path: Path) -> None:
    broken = _broken(tmp_path)
    (tmp_path / "in").mkdir()
    # A file that would be an error of its own, were the input read.
    (tmp_path / "in" / "schools.csv").write_text("not,a,table\n", encoding="utf-8")
    env = {"EDUSTAT_WAREHOUSE_URL": f"sqlite:///{tmp_path / 'w.db'}", "EDUSTAT_ERROR_WORKBOOK_DIR": str(tmp_path / "errors")}
    ran = edustat("run", "--year", "2020", "--input", "in", "--indicators", str(broken), cwd=tmp_path, env=env)
    _assert_refused(ran, broken)
    validated = edustat("validate", "--year", "2020", "--input", "in", cwd=tmp_path, env=env | {"EDUSTAT_INDICATORS_FILE": str(broken)})
    _assert_refused(validated, broken)
    assert not (tmp_path / "w.db").exists()
    assert not (tmp_path / "errors").exists()


def test_demo_trace_indicators_and_serve_refuse_it_too_and_write_nothing(tmp_path: Path) -> None:
    broken = _broken(tmp_path)
    env = {"EDUSTAT_WAREHOUSE_URL": f"sqlite:///{tmp_path / 'w.db'}", "EDUSTAT_INDICATORS_FILE": str(broken)}
    _assert_refused(edustat("demo", "--out", "sample", cwd=tmp_path, env=env), broken)
    _assert_refused(edustat("trace", "--year", "2020", "--indicator", "guard_rate_mistyped", cwd=tmp_path, env=env), broken)
    _assert_refused(edustat("indicators", "--year", "2020", cwd=tmp_path, env=env), broken)
    _assert_refused(edustat("serve", cwd=tmp_path, env=env), broken)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.toml"]
