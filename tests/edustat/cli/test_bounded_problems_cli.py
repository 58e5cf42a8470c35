"""Bounded problem lists through the command line: a sheet with more bad rows than the limit lists the limit and
one summary per file and rule, on the terminal, in validation_issue (SQLite and PostgreSQL) and in the error workbook.

临夏县's 在校生 sheet (sample seed 2021) has its header on row 3, school 2162002001's primary row on row 4 and
its last row on 330. ``BAD_ROWS`` copies of that school's primary row with 在校生数 "四百" are added below it:
rows 331 … 330 + BAD_ROWS. Each is one ``not_a_number`` (BAD_ROWS of them) and one more occurrence of the key
2162002001/小学 (``duplicate_key``: BAD_ROWS + 1 of them, row 4 included), and nothing else.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from edustat.errorbook.problems_sheet import HEADER_ROW, PROBLEM_COLUMNS
from edustat.ingest.read import PROBLEMS_SHEET
from schemas.rules import load_rules
from tests.conftest import WAREHOUSE_PARAMS
from tests.edustat.cli.sample_warehouse import Sample2020
from tests.edustat.cli.test_cli import edustat

YEAR = "2020"
LINXIA = "622921_临夏县.xlsx"
LIMIT = load_rules().limits.max_issues_per_file_rule
BAD_ROWS = LIMIT + 500
FIRST_BAD, LAST_BAD = 331, 330 + BAD_ROWS

# By hand: not_a_number lists rows 331 … 330 + LIMIT and counts the BAD_ROWS − LIMIT below;
# duplicate_key lists row 4 and rows 331 … 329 + LIMIT, and counts the BAD_ROWS + 1 − LIMIT below.
EXPECTED = {
    "not_a_number": (BAD_ROWS - LIMIT, FIRST_BAD + LIMIT),
    "duplicate_key": (BAD_ROWS + 1 - LIMIT, FIRST_BAD + LIMIT - 1),
}
"""Rule → (problems the summary counts, the first row it counts)."""
ERRORS = BAD_ROWS + (BAD_ROWS + 1)


@pytest.fixture(scope="module")
def sample(sample_2020: Sample2020) -> Path:
    """The sample's 2020 folder (read-only for the tests)."""
    return sample_2020.complete


@pytest.fixture(scope="module")
def bad_year(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 2020 folder with BAD_ROWS bad rows below 临夏县's 在校生 sheet."""
    folder = tmp_path_factory.mktemp("bounded_bad") / YEAR
    shutil.copytree(sample, folder)
    book = openpyxl.load_workbook(folder / LINXIA)
    sheet = book["在校生"]
    # If the sample generator changes, fail here rather than count rows of another shape.
    assert sheet.max_row == 330 and [c.value for c in sheet[4]][:3] == [2162002001, "小学", 195], [c.value for c in sheet[4]]
    for _ in range(BAD_ROWS):
        sheet.append([2162002001, "小学", "四百", 31, 8, 0, 0])
    book.save(folder / LINXIA)
    return folder


def _assert_bounded(rows: list[dict]) -> None:
    """Per rule of 临夏县: LIMIT listed problems and one summary, which counts what EXPECTED says, as an error."""
    for rule, (count, first_row) in EXPECTED.items():
        of_rule = [r for r in rows if r["source_file"] == LINXIA and r["rule"] == rule]
        summaries = [r for r in of_rule if r["cell"] is None]
        assert len(of_rule) == LIMIT + 1, rule
        assert [(s["severity"], s["value"], s["source_row"]) for s in summaries] == [("error", f"+{count}", first_row)], rule
        assert f"and {count:,} more problems like these" in summaries[0]["message_en"]
        assert f"rows {first_row:,}–{LAST_BAD:,}" in summaries[0]["message_en"]
        assert f"另有 {count:,} 个同类问题" in summaries[0]["message_zh"]


def _problem_sheet(path: Path) -> list[dict]:
    ws = openpyxl.load_workbook(path, read_only=True)[PROBLEMS_SHEET]
    keys = [key for _, key, _ in PROBLEM_COLUMNS]
    rows = [dict(zip(keys, row, strict=False)) for row in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    for row in rows:
        row["source_row"] = int(row["source_row"]) if row["source_row"] is not None else None
        row["severity"] = {"错误 Error": "error", "警告 Warning": "warning"}[row["severity_label"]]
    return rows


def test_validate_lists_the_limit_and_counts_the_rest(bad_year: Path, tmp_path: Path) -> None:
    result = edustat(
        "validate", "--year", YEAR, "--input", str(bad_year), "--out", "marked.xlsx", cwd=tmp_path,
        env={"EDUSTAT_WAREHOUSE_URL": f"sqlite:///{tmp_path / 'none.db'}"},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert f"2020: {ERRORS} errors" in output
    assert f"not_a_number: {BAD_ROWS} errors" in output and f"duplicate_key: {BAD_ROWS + 1} errors" in output
    problems = _problem_sheet(tmp_path / "marked.xlsx")
    _assert_bounded(problems)
    book = openpyxl.load_workbook(tmp_path / "marked.xlsx")
    assert book[PROBLEMS_SHEET]["A1"].value.startswith(f"共 {ERRORS} 个错误")


@pytest.fixture(params=WAREHOUSE_PARAMS)
def loaded(request: pytest.FixtureRequest, sample_2020: Sample2020, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A warehouse of the given kind with the sample's 2020 loaded, and the environment of the runs against it."""
    with sample_2020.loaded(request.param, tmp_path) as loaded_2020:
        yield loaded_2020.url, loaded_2020.env


def _query(url: str, sql: str) -> list[dict]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [dict(row) for row in conn.execute(sa.text(sql)).mappings()]
    finally:
        engine.dispose()


def test_run_is_rejected_and_stores_the_bounded_list(loaded: tuple[str, dict[str, str]], bad_year: Path, tmp_path: Path) -> None:
    url, env = loaded
    values_sql = "SELECT region_code, indicator_code, value, numerator, denominator, run_id FROM indicator_current WHERE year = 2020 ORDER BY region_code, indicator_code"
    before = _query(url, values_sql)
    result = edustat("run", "--year", YEAR, "--input", str(bad_year), cwd=tmp_path, env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "rejected" in output and f"{ERRORS} errors" in output
    assert f"and {EXPECTED['not_a_number'][0]:,} more problems like these" in output
    run = _query(url, "SELECT run_id, status, message FROM etl_run ORDER BY run_id DESC LIMIT 1")[0]
    assert run["status"] == "rejected" and run["message"] == f"{ERRORS} errors block the load"
    stored = _query(url, f"SELECT * FROM validation_issue WHERE run_id = {run['run_id']}")
    _assert_bounded(stored)
    assert _query(url, values_sql) == before
    # The error workbook lists exactly what was stored.
    listed = _problem_sheet(tmp_path / "errors" / "errors_2020.xlsx")
    assert len(listed) == len(stored)
    _assert_bounded(listed)
