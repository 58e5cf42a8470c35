"""A run that fails for its warehouse prints one sentence (which warehouse, what to check), no traceback, no password.

The closed port runs `edustat` as a process (exit status 3 as the shell sees it, the sentence on a real stderr); the
read-only warehouse runs it in process (tests/cli_runner.py), the same sentence through the same handler.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from runtime.local_server import free_port
from tests.edustat.cli.test_cli import edustat, edustat_process

if TYPE_CHECKING:
    from tests.edustat.cli.sample_warehouse import Sample2020


def _closed_port() -> int:
    return free_port()  # nothing listens on it once the probe is closed


@pytest.fixture(scope="module")
def year_folder(sample_2020: Sample2020) -> Path:
    """The sample's 2020, written once per session (read-only here: the runs fail before storing anything)."""
    return sample_2020.complete


def _assert_one_sentence(result, *expected: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 3, output
    assert "Traceback" not in output and "secret-pw" not in output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 2, output  # the sentence, and where to see the traceback
    for text in expected:
        assert text in lines[0]


def test_a_closed_postgres_port_is_one_sentence(year_folder: Path, tmp_path: Path, prefect_api_url: str) -> None:
    url = f"postgresql+psycopg://postgres:secret-pw@127.0.0.1:{_closed_port()}/test"
    result = edustat_process("run", "--year", "2020", "--input", str(year_folder), "--warehouse", url, cwd=tmp_path, env={"PREFECT_API_URL": prefect_api_url})
    _assert_one_sentence(result, "cannot reach the warehouse", "postgres:***@127.0.0.1", "Check that the database server runs")


def test_a_read_only_sqlite_warehouse_is_one_sentence(year_folder: Path, tmp_path: Path, prefect_api_url: str) -> None:
    # Tests run as root, whom file permissions do not stop: SQLite's own read-only mode stands in for them.
    sqlite3.connect(tmp_path / "w.db").close()
    url = f"sqlite:///file:{tmp_path / 'w.db'}?mode=ro&uri=true"
    result = edustat("run", "--year", "2020", "--input", str(year_folder), "--warehouse", url, cwd=tmp_path, env={"PREFECT_API_URL": prefect_api_url})
    _assert_one_sentence(result, "cannot be written", "Check the permissions")
