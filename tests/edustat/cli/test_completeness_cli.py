"""Completeness on the sample: each gap is an error that --allow-incomplete relaxes (or not), and reporting_status
then says what is missing; through the command line, on SQLite and PostgreSQL, a gap rejects the run and changes
no value, --allow-incomplete loads it, the report and `indicators` say it is incomplete, and a correction that sends
the missing part makes the year complete again.

Each of the four gaps is checked through the library the run calls (edustat.ingest: the files read as the flow
reads them in batches, then ``combine_year``, strict and with ``allow_incomplete``): its one error, the words of its
message, whether the relaxed run may load, and the county × table status reporting_status is built from. The
command line's behaviour (exit codes, nothing changed by a rejected run, the stored issue, reporting_status as the
view aggregates it, the report, a correction completing the year) is one scenario per dialect, with different gaps
so that both the county-level and the row-level aggregate of the view are read back.

One warehouse per dialect holds the sample's 2020 (seed 2021). Each gap is made in 临夏县's workbook, whose
学校名录 row 8 is school 2162002005 (a primary school; 在校生 row 8: 461 pupils), header on row 3.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from config import load_regions
from edustat.ingest.discover import folder_issues, scan_folder
from edustat.ingest.files import FileResult, read_and_normalize_files
from edustat.ingest.stage import CombinedYear, combine_year
from schemas.issues import has_errors
from schemas.rules import load_rules
from tests.conftest import WAREHOUSE_PARAMS
from tests.edustat.cli.sample_warehouse import Sample2020
from tests.edustat.cli.sample_warehouse import query as _query
from tests.edustat.cli.test_cli import edustat

YEAR = "2020"
LINXIA = "622921_临夏县.xlsx"
SCHOOL = "2162002005"


def _values(url: str) -> list[tuple]:
    return _query(url, "SELECT region_code, indicator_code, value FROM indicator_current WHERE year = 2020 ORDER BY region_code, indicator_code")


@dataclass
class Loaded:
    """A warehouse with the complete 2020 loaded, its values then, and the complete folder."""

    url: str
    env: dict[str, str]
    complete: Path
    values: list[tuple]
    cwd: Path


@pytest.fixture(scope="module", params=WAREHOUSE_PARAMS)
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sample_2020: Sample2020) -> Iterator[Loaded]:
    root = tmp_path_factory.mktemp("completeness")
    with sample_2020.loaded(request.param, root) as sample:
        assert "8 of 8 counties reported" in sample.first_output
        yield Loaded(sample.url, sample.env, sample.complete, _values(sample.url), root)


def _workbook_edit(edit: Callable[[openpyxl.Workbook], None]) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / LINXIA
        workbook = openpyxl.load_workbook(path)
        edit(workbook)
        workbook.save(path)

    return apply


def _column(sheet, header: str) -> int:  # noqa: ANN001 - an openpyxl worksheet
    return next(cell.column for cell in sheet[3] if cell.value == header)


def _drop_security_row(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["安保"]
    row = next(cell.row for cell in sheet["A"] if str(cell.value) == SCHOOL)
    sheet.delete_rows(row)


def _schools_with_pupils(path: Path) -> int:
    """Schools with pupils in some stage, read from the workbook's 在校生 sheet (rows below the header on row 3)."""
    sheet = openpyxl.load_workbook(path, read_only=False)["在校生"]
    students = _column(sheet, "在校生数")
    return len({str(row[0].value) for row in sheet.iter_rows(min_row=4) if isinstance(row[students - 1].value, int | float) and row[students - 1].value > 0})


def _crowd_classes(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["在校生"]
    assert str(sheet.cell(8, 1).value) == SCHOOL and sheet.cell(8, _column(sheet, "在校生数")).value == 461
    sheet.cell(8, _column(sheet, "班数")).value = 5  # 461 pupils in 5 classes: more than 65 a class
    sheet.cell(8, _column(sheet, "56-65人班数")).value = 0
    sheet.cell(8, _column(sheet, "66人及以上班数")).value = 0


@dataclass(frozen=True)
class Gap:
    """A gap made in the complete folder, what the error must say, and what reporting_status then shows for 临夏县 (table, reported, schools missing a row)."""

    make: Callable[[Path], None]
    rule: str
    names: tuple[str, ...]
    status: tuple[str, int, int | None] | None
    """None schools missing a row: every school of 临夏县 with pupils (counted from the workbook itself)."""
    is_relaxed: bool = True


GAPS = {
    "county_not_reported": Gap(lambda folder: (folder / LINXIA).unlink(), "county_not_reported", ("临夏县", "622921"), ("schools", 0, 0)),
    "table_not_reported": Gap(_workbook_edit(lambda wb: wb.remove(wb["经费"])), "table_not_reported", ("临夏县", "经费", LINXIA), ("funding", 0, None)),
    "row_missing": Gap(_workbook_edit(_drop_security_row), "row_missing", (SCHOOL, "security", "学校名录", "row 8"), ("security", 1, 1)),
    "inconsistent_class_sizes": Gap(_workbook_edit(_crowd_classes), "inconsistent_class_sizes", ("461", "65"), None, is_relaxed=False),
}


@pytest.fixture(scope="module")
def complete_files(sample_2020: Sample2020) -> dict[str, FileResult]:
    """The complete 2020 folder read once, one result per file (the flow reads batches of files; combine_year takes any batching)."""
    folder = scan_folder(sample_2020.complete)
    rules = load_rules()
    results = {path.relative_to(sample_2020.complete).as_posix(): read_and_normalize_files([path], sample_2020.complete, rules) for path in folder.files}
    results[""] = FileResult(source_file=str(sample_2020.complete), issues=folder_issues(folder))
    return results


def _combined_with_gap(gap: Gap, complete_files: dict[str, FileResult], complete: Path, folder: Path) -> tuple[CombinedYear, CombinedYear]:
    """The year with ``gap`` made in 临夏县's workbook, combined strictly and with allow_incomplete (what `run` decides from)."""
    folder.mkdir()
    shutil.copy2(complete / LINXIA, folder / LINXIA)
    gap.make(folder)
    rules = load_rules()
    results = [result for name, result in complete_files.items() if name != LINXIA]
    if (folder / LINXIA).exists():
        results.append(read_and_normalize_files([folder / LINXIA], folder, rules))
    regions = load_regions()
    return combine_year(results, regions, rules), combine_year(results, regions, rules, allow_incomplete=True)


def _linxia_status(status: pl.DataFrame, table: str) -> tuple[bool, int]:
    row = status.filter((pl.col("county_code") == "622921") & (pl.col("table_name") == table))
    assert row.height == 1, row
    return row["is_reported"][0], row["schools_missing_row"][0]


def test_the_complete_year_has_no_gap(complete_files: dict[str, FileResult]) -> None:
    combined = combine_year(list(complete_files.values()), load_regions(), load_rules())
    assert not has_errors(combined.issues)
    assert combined.completeness.status["is_reported"].all() and combined.completeness.status["schools_missing_row"].sum() == 0


@pytest.mark.parametrize("kind", list(GAPS))
def test_each_gap_is_one_error_that_allow_incomplete_relaxes_and_the_status_names(
    kind: str, complete_files: dict[str, FileResult], sample_2020: Sample2020, tmp_path: Path
) -> None:
    gap = GAPS[kind]
    strict, loose = _combined_with_gap(gap, complete_files, sample_2020.complete, tmp_path / YEAR)

    assert has_errors(strict.issues)
    found = strict.issues.filter(pl.col("rule") == gap.rule)
    assert found["severity"].to_list() == ["error"], found
    texts = found.select("message_zh", "message_en").row(0)
    assert all(any(name in text for text in texts) for name in gap.names), texts

    relaxed = loose.issues.filter(pl.col("rule") == gap.rule)
    if not gap.is_relaxed:
        assert has_errors(loose.issues) and relaxed["severity"].to_list() == ["error"]
        return
    assert not has_errors(loose.issues), loose.issues.filter(pl.col("severity") == "error")
    assert relaxed["severity"].to_list() == ["warning"]
    table, reported, missing = gap.status
    if missing is None:
        missing = _schools_with_pupils(sample_2020.complete / LINXIA)
    assert _linxia_status(loose.completeness.status, table) == (bool(reported), missing)
    schools = loose.completeness.status.filter(pl.col("table_name") == "schools")
    # The prefecture's eight counties; its schools table is complete unless a county sent no school at all.
    assert schools.height == 8
    assert bool(schools["is_reported"].all() and schools["schools_missing_row"].sum() == 0) == (kind != "county_not_reported")


CLI_GAP = {"sqlite": "county_not_reported", "postgresql": "row_missing"}
"""The gap each dialect's command-line scenario makes: a whole county (prefecture incomplete) and one school row."""


def test_a_gap_rejects_allow_incomplete_loads_and_a_correction_completes(loaded: Loaded, tmp_path: Path) -> None:
    kind = CLI_GAP[loaded.url.split(":")[0].split("+")[0]]
    gap = GAPS[kind]
    folder = tmp_path / YEAR
    shutil.copytree(loaded.complete, folder)
    gap.make(folder)

    strict = edustat("run", "--year", YEAR, "--input", str(folder), cwd=tmp_path, env=loaded.env)
    output = strict.stdout + strict.stderr
    assert strict.returncode == 1, output
    assert "rejected" in strict.stdout and "Traceback" not in output
    assert _values(loaded.url) == loaded.values
    run_id = _query(loaded.url, "SELECT max(run_id) FROM etl_run")[0][0]
    assert _query(loaded.url, f"SELECT status FROM etl_run WHERE run_id = {run_id}") == [("rejected",)]
    stored = _query(loaded.url, f"SELECT severity, message_zh, message_en FROM validation_issue WHERE run_id = {run_id} AND rule = '{gap.rule}'")
    assert [severity for severity, _, _ in stored] == ["error"]
    assert all(any(name in text for text in stored[0][1:]) for name in gap.names), stored

    loose = edustat("run", "--year", YEAR, "--input", str(folder), "--allow-incomplete", cwd=tmp_path, env=loaded.env)
    assert loose.returncode == 0, loose.stdout + loose.stderr
    assert _values(loaded.url) != loaded.values
    table, reported, missing = gap.status
    if missing is None:
        missing = _schools_with_pupils(loaded.complete / LINXIA)
    assert _query(
        loaded.url,
        f"SELECT counties_expected, counties_reported, schools_missing_row, is_complete FROM reporting_status "
        f"WHERE year = 2020 AND region_code = '622921' AND table_name = '{table}'",
    ) == [(1, reported, missing, False)]
    prefecture = _query(loaded.url, "SELECT counties_expected, is_complete FROM reporting_status WHERE year = 2020 AND region_code = '622900' AND table_name = 'schools'")
    # The prefecture's schools table is complete unless a county sent no school at all.
    assert prefecture[0][0] == 8 and bool(prefecture[0][1]) == (kind != "county_not_reported")
    report = edustat("report", "--year", YEAR, "--out", str(tmp_path / "report.md"), cwd=tmp_path, env=loaded.env)
    assert report.returncode == 0, report.stderr
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert text.count("数据不完整") >= 2  # at the top and beside the tables
    listed = edustat("indicators", "--year", YEAR, "--level", "prefecture", "--format", "csv", cwd=tmp_path, env=loaded.env)
    assert "incomplete" in listed.stderr and "false" in listed.stdout

    # The county sends the missing part: a correction of its file makes the year complete again.
    corrected = edustat("run", "--year", YEAR, "--input", str(loaded.complete), cwd=tmp_path, env=loaded.env)
    assert corrected.returncode == 0, corrected.stdout + corrected.stderr
    assert "8 of 8 counties reported" in corrected.stdout
    assert "correction of run" in corrected.stdout
    assert _values(loaded.url) == loaded.values
    assert _query(loaded.url, "SELECT count(*) FROM reporting_status WHERE year = 2020 AND NOT is_complete") == [(0,)]
    again = edustat("report", "--year", YEAR, "--out", str(tmp_path / "again.md"), cwd=tmp_path, env=loaded.env)
    assert again.returncode == 0 and "数据不完整" not in (tmp_path / "again.md").read_text(encoding="utf-8")


def test_validate_prints_the_checklist_of_what_each_county_sent(loaded: Loaded, tmp_path: Path) -> None:
    folder = tmp_path / YEAR
    shutil.copytree(loaded.complete, folder)
    (folder / LINXIA).unlink()
    result = edustat("validate", "--year", YEAR, "--input", str(folder), "--out", str(tmp_path / "e.xlsx"), cwd=tmp_path, env=loaded.env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "7 of 8 counties reported; missing: 临夏县 622921" in result.stdout
    line = next(line for line in result.stdout.splitlines() if line.strip().startswith("622921"))
    assert line.count("✗") == 6  # every table, population included, not sent
