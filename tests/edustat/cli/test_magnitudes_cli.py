"""Absurd magnitudes through the command line, on SQLite and PostgreSQL: `validate` and `run` agree.

One warehouse per dialect holds the sample's 2020 (seed 2021). Each case writes one number into
临夏县's workbook (header on row 3; 办学条件 row 4 is school 2162002001: column B 教学及辅助用房面积
1185.8 m²; 经费 row 4 its primary stage: column C 一般公共预算教育支出 213.17 万元). A value no school can
have is an error of `validate` (exit 1, naming the cell) and of `run` (exit 1, rejected, no value
changed) — the rerun of one changed county is a correction, refused the same way; an unusual but
possible value is a warning, and the year loads.

Where each impossible value is named is checked through the library the run and `validate` call
(edustat.ingest.stage.stage_year) for every case; the command line's agreement (validate exit 1 naming the
cell, the correction rejected, the stored issue, no value changed) is one case per dialect.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from config import load_regions
from edustat.ingest.stage import stage_year
from schemas.issues import has_errors
from schemas.rules import load_rules
from tests.conftest import WAREHOUSE_PARAMS
from tests.edustat.cli.sample_warehouse import YEAR, Sample2020, SampleWarehouse, query
from tests.edustat.cli.test_cli import edustat

LINXIA = "622921_临夏县.xlsx"
SCHOOL = "2162002001"


def _values(url: str) -> list[tuple]:
    return query(url, "SELECT region_code, indicator_code, value, numerator, denominator FROM indicator_current WHERE year = 2020 ORDER BY 1, 2")


@pytest.fixture(scope="module", params=WAREHOUSE_PARAMS)
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sample_2020: Sample2020) -> Iterator[SampleWarehouse]:
    with sample_2020.loaded(request.param, tmp_path_factory.mktemp("magnitudes")) as sample:
        yield sample


def _with_cell(loaded: SampleWarehouse, folder: Path, sheet: str, cell: str, value: float, expected_before: float) -> Path:
    """The sample's folder copied to ``folder`` with one cell of 临夏县's workbook set to ``value``."""
    shutil.copytree(loaded.complete, folder)
    workbook = openpyxl.load_workbook(folder / LINXIA)
    row = int(cell[1:])
    assert str(workbook[sheet].cell(row, 1).value) == SCHOOL and workbook[sheet][cell].value == expected_before
    workbook[sheet][cell].value = value
    workbook.save(folder / LINXIA)
    return folder


CASES = {
    "facilities_1e308": ("办学条件", "B4", 1e308, 1185.8, "教学及辅助用房面积"),
    "funding_1e308": ("经费", "C4", 1e308, 213.17, "一般公共预算教育支出"),
    "funding_1e13_correction": ("经费", "C4", 1e13, 213.17, "一般公共预算教育支出"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_an_impossible_value_is_one_error_at_its_cell(case: str, sample_2020: Sample2020, tmp_path: Path) -> None:
    sheet, cell, value, before, _ = CASES[case]
    folder = tmp_path / YEAR
    shutil.copytree(sample_2020.complete, folder)
    workbook = openpyxl.load_workbook(folder / LINXIA)
    assert str(workbook[sheet].cell(int(cell[1:]), 1).value) == SCHOOL and workbook[sheet][cell].value == before
    workbook[sheet][cell].value = value
    workbook.save(folder / LINXIA)
    _, issues = stage_year(folder, load_regions(), load_rules())
    assert has_errors(issues)
    found = issues.filter(pl.col("rule") == "implausible_value").select("severity", "source_file", "source_sheet", "source_row", "cell")
    assert found.rows() == [("error", LINXIA, sheet, int(cell[1:]), cell)]


CLI_CASE = {"sqlite": "funding_1e13_correction", "postgresql": "funding_1e308"}
"""The case each dialect's command-line check writes (the library test above holds every case)."""


def test_an_impossible_value_fails_validate_naming_the_cell_and_rejects_the_run(loaded: SampleWarehouse, tmp_path: Path) -> None:
    sheet, cell, value, before, header = CASES[CLI_CASE[loaded.url.split(":")[0].split("+")[0]]]
    folder = _with_cell(loaded, tmp_path / YEAR, sheet, cell, value, before)
    values_before = _values(loaded.url)

    checked = edustat("validate", "--year", YEAR, "--input", str(folder), "--out", str(tmp_path / "e.xlsx"), cwd=tmp_path, env=loaded.env)
    output = checked.stdout + checked.stderr
    assert checked.returncode == 1, output
    assert f"{LINXIA} › sheet {sheet} › row {cell[1:]} › column {header}" in output and f"({cell})" in output, output
    assert "Traceback" not in output

    run = edustat("run", "--year", YEAR, "--input", str(folder), "--reason", "county resubmission", cwd=tmp_path, env=loaded.env)
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "rejected" in run.stdout and "Traceback" not in output
    run_id = query(loaded.url, "SELECT max(run_id) FROM etl_run")[0][0]
    assert query(loaded.url, f"SELECT status FROM etl_run WHERE run_id = {run_id}") == [("rejected",)]
    stored = query(
        loaded.url,
        f"SELECT severity, source_file, source_sheet, source_row, cell FROM validation_issue WHERE run_id = {run_id} AND rule = 'implausible_value'",
    )
    assert stored == [("error", LINXIA, sheet, int(cell[1:]), cell)]
    assert _values(loaded.url) == values_before


def test_an_unusual_but_possible_value_is_a_warning_and_the_year_loads(loaded: SampleWarehouse, tmp_path: Path) -> None:
    # 400,000 m² of teaching rooms: above the unusual mark (300,000), below what cannot be (10⁷).
    folder = _with_cell(loaded, tmp_path / YEAR, "办学条件", "B4", 400_000, 1185.8)
    checked = edustat("validate", "--year", YEAR, "--input", str(folder), "--out", str(tmp_path / "e.xlsx"), cwd=tmp_path, env=loaded.env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "unusual for a school" in checked.stdout and "(B4)" in checked.stdout

    run = edustat("run", "--year", YEAR, "--input", str(folder), cwd=tmp_path, env=loaded.env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "succeeded" in run.stdout
    run_id = query(loaded.url, "SELECT max(run_id) FROM etl_run")[0][0]
    assert query(loaded.url, f"SELECT status FROM etl_run WHERE run_id = {run_id}") == [("succeeded",)]
    assert query(loaded.url, f"SELECT severity, cell, value FROM validation_issue WHERE run_id = {run_id} AND rule = 'unusual_value'") == [
        ("warning", "B4", "400000")
    ]
    stored = query(loaded.url, f"SELECT teaching_area_m2 FROM facilities WHERE year = 2020 AND school_code = '{SCHOOL}'")
    assert stored == [(400_000.0,)]
    # The school's huge floor area now dominates its county's primary teaching-area CV, which stays a finite number.
    cv = query(loaded.url, "SELECT value FROM indicator_current WHERE year = 2020 AND region_code = '622921' "
                            "AND indicator_code = 'balance_cv_teaching_area_per_student_primary'")
    assert len(cv) == 1 and cv[0][0] is not None and 1 < cv[0][0] < 1e6

    # Back to the sample: a correction of the same county loads the original value again.
    restore = edustat("run", "--year", YEAR, "--input", str(loaded.complete), cwd=tmp_path, env=loaded.env)
    assert restore.returncode == 0, restore.stdout + restore.stderr
