"""A name holding ESC[31m or NUL cannot drive the terminal or corrupt a report: shown escaped, as input values are.

The configuration now refuses such names when it is read (tests/config/test_config_limits.py); a
warehouse written before that may still hold them, so they are put straight into the warehouse here.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from rerun_data import base_warehouse, copy_warehouse

from tests.cli_runner import run_edustat

EVIL = "Red\x1b[31m\x00x"
SHOWN = "Red\\x1b[31m\\x00x"
"""How edustat.summary.printable writes it: ESC and NUL as \\x escapes, the rest as it is."""


@pytest.fixture
def evil_warehouse(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> str:
    url = copy_warehouse(base_warehouse(sample_dir, tmp_path_factory), tmp_path / "evil.db")
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        db.execute("UPDATE indicator SET name_en = ? WHERE indicator_code = (SELECT MIN(indicator_code) FROM indicator)", (EVIL,))
        db.execute("UPDATE region SET name_en = ? WHERE region_code = '622900'", (EVIL,))
    return url


def test_indicators_in_english_show_control_characters_escaped(evil_warehouse: str, tmp_path: Path) -> None:
    shown = run_edustat("indicators", "--year", "2020", "--lang", "en", "--level", "prefecture", cwd=tmp_path, env={"EDUSTAT_WAREHOUSE_URL": evil_warehouse})
    assert shown.returncode == 0, shown.stderr
    assert "\x1b" not in shown.stdout and "\0" not in shown.stdout
    # Region and indicator name both: the prefecture's rows carry the escaped name at least twice.
    assert shown.stdout.count(SHOWN) >= 2, shown.stdout[:2000]


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_the_report_shows_control_characters_escaped(evil_warehouse: str, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"report{suffix}"
    written = run_edustat("report", "--year", "2020", "--lang", "en", "--out", str(out), cwd=tmp_path, env={"EDUSTAT_WAREHOUSE_URL": evil_warehouse})
    assert written.returncode == 0, written.stderr
    text = out.read_text(encoding="utf-8")
    assert "\x1b" not in text and "\0" not in text
    # Markdown escapes the backslashes and the bracket of the escaped name once more, so that it renders as SHOWN.
    assert (SHOWN if suffix == ".html" else "Red\\\\x1b\\[31m\\\\x00x") in text
