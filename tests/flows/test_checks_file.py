"""EDUSTAT_CHECKS_FILE: a statistician appends a check over two tables to a copy of config/checks.toml, and the run
reports it at the right cell (SQLite and PostgreSQL).

The tiny year (tests/flows/tiny_year.py) as CSV files, facilities.csv with the header on line 1 and the
schools in registry order, computers in column E. The new check asks one computer per 10 pupils of the
school's stages (summed: facilities has no stage) at primary and secondary schools:
6229010001 40 × 10 = 400 ≥ 300 holds; 6229210001 600 ≥ 400 holds; 6229210002 120 < 120 + 60 = 180 broken (row 5);
6201020001 250 < 500 broken (row 6); the kindergartens 6229010002 and 6201020002 are not judged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from config import DEFAULT_CHECKS_FILE
from flows.yearly import yearly_flow
from tests.flows.rerun_data import query
from tests.flows.tiny_year import write_tiny_year

COMPUTERS = """
[[check]]
code = "computers_for_pupils"
severity = "warning"
table = "facilities"
school_types = ["primary_and_secondary"]
condition = "computers * 10 >= enrollment.students"
message_zh = "计算机 {computers} 台，学生 {enrollment.students} 人"
message_en = "{computers} computers for {enrollment.students} pupils"
"""


def test_an_appended_check_is_reported_at_its_cell_and_makes_the_rerun_recompute(
    tmp_path: Path, warehouse_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    input_dir, regions_file = write_tiny_year(tmp_path)
    monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", warehouse_url)
    monkeypatch.setenv("EDUSTAT_REGIONS_FILE", str(regions_file))
    monkeypatch.setenv("EDUSTAT_CHECKS_FILE", str(DEFAULT_CHECKS_FILE))

    def run() -> int:
        outcome = yearly_flow(year=2020, input_dir=str(input_dir), reason="test")
        assert outcome.status == "succeeded", outcome.message
        return outcome.run_id

    first = run()
    extended = tmp_path / "checks.toml"
    extended.write_text(DEFAULT_CHECKS_FILE.read_text(encoding="utf-8") + COMPUTERS, encoding="utf-8")
    monkeypatch.setenv("EDUSTAT_CHECKS_FILE", str(extended))
    # Another checks file is another configuration: the same files are checked again, not `unchanged`.
    second = run()
    issues = query(
        warehouse_url,
        "SELECT run_id, severity, table_name, source_file, source_row, cell, value, message_zh, message_en FROM validation_issue"
        " WHERE rule = 'computers_for_pupils' ORDER BY run_id, source_row",
    )
    assert issues.rows() == [
        (second, "warning", "facilities", "facilities.csv", 5, "E5", "12.0", "计算机 12.0 台，学生 180 人", "12.0 computers for 180 pupils"),
        (second, "warning", "facilities", "facilities.csv", 6, "E6", "25.0", "计算机 25.0 台，学生 500 人", "25.0 computers for 500 pupils"),
    ]
    assert first != second


def test_validate_outliers_only_lists_the_outliers_alone_and_the_workbook_keeps_every_problem(
    sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from edustat.cli.app import app
    from schemas.outliers import OUTLIER_RULES

    monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    out = tmp_path / "errors.xlsx"
    args = ["validate", "--year", "2019", "--input", str(sample_dir / "2019"), "--out", str(out)]
    everything = CliRunner().invoke(app, args)
    only = CliRunner().invoke(app, [*args, "--outliers-only"])
    assert everything.exit_code == only.exit_code == 0, only.output
    # The sample's workbooks carry columns the contract does not know: a warning listed without the flag, not with it.
    assert "unknown column" in everything.output
    assert "unknown column" not in only.output
    import re

    import openpyxl

    # The terminal's count of outliers is the problem list's: every problem is in the workbook, the outliers among them.
    printed = int(re.search(r"(\d+) outliers? / \d+ 个异常值", only.output).group(1))
    sheet = openpyxl.load_workbook(out, read_only=True).worksheets[0]
    rules = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell in ("unknown_column", *OUTLIER_RULES)]
    assert "unknown_column" in rules
    assert printed == sum(rule in OUTLIER_RULES for rule in rules)
    assert only.output.count("[warning]") == printed > 0
