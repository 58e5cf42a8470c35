"""`edustat report`: HTML or Markdown from the warehouse alone, Chinese or English, current or as one run published it."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_builders import PREFECTURE, VALUES_2019, VALUES_2020, load, prepare_warehouse
from typer.testing import CliRunner, Result


def _report(url: str, *args: str) -> Result:
    from edustat.cli import commands  # noqa: F401  (registers the commands)
    from edustat.cli.app import app

    return CliRunner().invoke(app, ["report", *args], env={"EDUSTAT_WAREHOUSE_URL": url})


@pytest.fixture
def loaded(tmp_path: Path) -> tuple[str, int, int]:
    """A SQLite warehouse with 2019, a first 2020 delivery and a correction; returns (url, first run, correction run)."""
    url = f"sqlite:///{tmp_path / 'warehouse.db'}"
    engine = prepare_warehouse(url)
    load(engine, 2019, VALUES_2019)
    first = load(engine, 2020, {**VALUES_2020, PREFECTURE: {**VALUES_2020[PREFECTURE], "senior_ger": 80.5}}, reason="first delivery")
    fix = load(engine, 2020, VALUES_2020, reason="康乐县 corrected")
    engine.dispose()
    return url, first, fix


def test_html_report_of_the_current_values(loaded: tuple[str, int, int], tmp_path: Path) -> None:
    url, first, fix = loaded
    out = tmp_path / "out" / "report.html"
    result = _report(url, "--year", "2020", "--out", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "高中阶段毛入学率达到81.2%" in page
    # The correction rewrote only the values it changed; the others still come from the first delivery.
    assert f"来自运行：{first} (first delivery" in page and f"; {fix} (康乐县 corrected" in page


def test_pinned_run_shows_what_it_published_and_names_it(loaded: tuple[str, int, int], tmp_path: Path) -> None:
    url, first, _ = loaded
    out = tmp_path / "pinned.html"
    result = _report(url, "--year", "2020", "--out", str(out), "--run", str(first))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "高中阶段毛入学率达到80.5%" in page
    assert "高中阶段毛入学率达到81.2%" not in page
    assert f"本页数值为第 {first} 次运行" in page and "运行原因：first delivery" in page


def test_english_markdown_with_chart_files(loaded: tuple[str, int, int], tmp_path: Path) -> None:
    url, _, _ = loaded
    out = tmp_path / "report.md"
    result = _report(url, "--year", "2020", "--out", str(out), "--lang", "en")
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Linxia: education duty self-evaluation, 2020")
    assert "![Gross enrolment rate, senior secondary stage](report_charts/chart-senior_ger.svg)" in text
    svg = (tmp_path / "report_charts" / "chart-senior_ger.svg").read_text(encoding="utf-8")
    assert svg.count('<rect class="bar') == 3  # one bar per county


def test_refusals_exit_1_with_a_message(loaded: tuple[str, int, int], tmp_path: Path) -> None:
    url, _, fix = loaded
    out = tmp_path / "r.html"
    no_year = _report(url, "--year", "2018", "--out", str(out))
    assert no_year.exit_code == 1 and "no values for 2018" in no_year.output
    other_year = _report(url, "--year", "2019", "--out", str(out), "--run", str(fix))
    assert other_year.exit_code == 1 and "is a run of 2020" in other_year.output
    missing = _report(f"sqlite:///{tmp_path / 'nothing.db'}", "--year", "2020", "--out", str(out))
    assert missing.exit_code == 1 and "no warehouse at" in missing.output
    assert not (tmp_path / "nothing.db").exists()  # a report never creates a warehouse
    assert not out.exists()
