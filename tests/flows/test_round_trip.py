"""The clerk's round trip (CONTRACT §3): the marked copy is the whole workbook, and sent back corrected it loads as the corrected original.

Faults of four kinds go into three counties' files of the sample (a text number, entrants above students —
a relation across two columns —, a duplicate school code, a missing 安保 row): into one workbook (临夏县),
CSV files (东乡族自治县) and one workbook per table (康乐县), all in one year's folder. `edustat validate` marks them; the test
checks that each copy holds every sheet and cell value of its original, corrects the marked cells with the
clean sample's values (and adds back the missing row, which the copy's problem list names), sends the copies
back in place of the originals, and compares with the same corrections made to the originals: both validate
without errors and load the same values (SQLite and PostgreSQL). Everything before the loads is done once per
session (tests/conftest.py built_once); the two loads once per dialect.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from config import DEFAULT_REGIONS_FILE
from edustat.configuration import load_configuration
from edustat.errorbook.marked import copy_name
from edustat.validation import validate_inputs
from flows.yearly import yearly_flow
from tests.cli_runner import run_edustat
from tests.conftest import built_once
from tests.flows.round_trip import corrections, read_grid, send_back_copies, write_cells
from warehouse.engine import get_engine
from warehouse.read import county_tables, current_values

YEAR = 2020
CASES = {
    "one_workbook": ("622921", lambda table: ("622921_临夏县.xlsx", table)),
    "csv_files": ("622926", lambda table: (f"622926_东乡族自治县/{table}.csv", table)),
    "workbook_per_table": ("622922", lambda table: (f"622922_康乐县/{table}.xlsx", None)),
}
"""County, and where each table of it lies: (file, sheet; None for a workbook's only sheet)."""

COUNTIES = ["622901", "622921", "622922", "622923", "622924", "622925", "622926", "622927"]


def _place(case: str, table: str, clean: Path) -> tuple[str, str]:
    file, sheet = CASES[case][1](table)
    return file, sheet or next(iter(read_grid(clean / file)))


def _header_row(grid: dict) -> int:
    return min(row for (row, col), value in grid.items() if col == 1 and value == "学校标识码")


def _put_faults(case: str, clean: Path, folder: Path) -> dict[str, dict[str, list[int]]]:
    """The four faults written into ``folder``'s copy of the county's files; returns the rows removed (file → sheet → rows)."""
    changes: dict[str, dict] = {}
    enrollment_file, enrollment_sheet = _place(case, "在校生", clean)
    grid = read_grid(clean / enrollment_file)[enrollment_sheet]
    top = _header_row(grid)
    as_text = enrollment_file.endswith(".csv")
    changes.setdefault(enrollment_file, {})[(enrollment_sheet, top + 1, 3)] = "四百"  # 在校生数 as words
    entrants = int(grid[(top + 3, 3)]) + 5  # 招生数 above 在校生数
    changes[enrollment_file][(enrollment_sheet, top + 3, 4)] = str(entrants) if as_text else entrants
    schools_file, schools_sheet = _place(case, "学校名录", clean)
    schools = read_grid(clean / schools_file)[schools_sheet]
    top = _header_row(schools)
    changes.setdefault(schools_file, {})[(schools_sheet, top + 6, 1)] = schools[(top + 5, 1)]  # the school code above, twice
    security_file, security_sheet = _place(case, "安保", clean)
    security = read_grid(clean / security_file)[security_sheet]
    last = max(row for row, _ in security)
    changes.setdefault(security_file, {}).update({(security_sheet, last, col): None for row, col in security if row == last})
    for file, cells in changes.items():
        write_cells(folder / file, cells)
    return {security_file: {security_sheet: [last]}}


def _problems(folder: Path) -> pl.DataFrame:
    """The problems of a folder, comparable across a .csv and its .xlsx copy (the file named by its stem)."""
    issues = validate_inputs(folder, load_configuration(DEFAULT_REGIONS_FILE), None).issues
    return (
        issues.with_columns(pl.col("source_file").str.replace(r"\.(csv|xlsx)$", ""))
        .select("severity", "rule", "source_file", "source_sheet", "cell", "value")
        .sort(pl.all())
    )


def _stored(url: str) -> dict[str, pl.DataFrame]:
    """The year's stored rows (without the file they came from, which a copy of a .csv renames) and its current values."""
    engine = get_engine(url)
    tables = {name: frame.drop("source_file").sort(pl.all()) for name, frame in county_tables(engine, YEAR, COUNTIES).items()}
    values = current_values(engine, YEAR)
    tables["current_values"] = values.drop([c for c in values.columns if "run" in c]).sort(pl.all())
    return tables


def _round_trip(clean: Path, root: Path) -> None:
    """The clerk's round trip of every case (a county each) below ``root``: faults put in (faulty/), marked copies checked,
    corrected and sent back (sent/), the same corrections made to the originals (fixed/); both validate alike and
    without errors."""
    faulty = root / "faulty"
    shutil.copytree(clean, faulty)
    removed = {file: rows for case in CASES for file, rows in _put_faults(case, clean, faulty).items()}
    env = {"EDUSTAT_WAREHOUSE_URL": f"sqlite:///{root / 'none.db'}", "EDUSTAT_ERROR_WORKBOOK_DIR": str(root / "rejected")}
    out = root / "errors" / f"errors_{YEAR}.xlsx"
    checked = run_edustat("validate", "--year", str(YEAR), "--input", str(faulty), "--out", str(out), cwd=root, env=env)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    listed = {row[8] for row in openpyxl.load_workbook(out).active.iter_rows(min_row=3, values_only=True)}
    assert {"not_a_number", "entrants_exceed_students", "row_missing"} <= listed and any("duplicate" in str(rule) for rule in listed)

    copies = out.with_name(out.stem)
    county_copies = {case: sorted(str(p.relative_to(copies)) for p in copies.rglob("*.xlsx") if CASES[case][0] in str(p)) for case in CASES}
    assert all(county_copies.values()), f"no marked copy of a faulty county: {county_copies}"
    for copy in copies.rglob("*.xlsx"):
        relative = str(copy.relative_to(copies))
        original = next(p for p in faulty.rglob("*") if p.is_file() and copy_name(str(p.relative_to(faulty))) == relative)
        # Every sheet and every cell value of the original, as the clerk sent it.
        assert read_grid(copy) == read_grid(original), relative

    fixed = root / "fixed"
    shutil.copytree(faulty, fixed)
    for copy in copies.rglob("*.xlsx"):
        relative = str(copy.relative_to(copies))
        original = next(p for p in fixed.rglob("*") if p.is_file() and copy_name(str(p.relative_to(fixed))) == relative)
        source_file = str(original.relative_to(fixed))
        changes = corrections(copy, read_grid(clean / source_file), removed.get(source_file, {}))
        write_cells(copy, changes)
        write_cells(original, changes)
    sent = root / "sent"
    shutil.copytree(faulty, sent)
    replaced = send_back_copies(sent, copies)
    for case, county in CASES.items():
        assert len([f for f in replaced if county[0] in f]) == len(county_copies[case]), case

    problems = _problems(sent)
    assert problems.filter(pl.col("severity") == "error").is_empty(), problems
    assert_frame_equal(problems, _problems(fixed))
    again = run_edustat("validate", "--year", str(YEAR), "--input", str(sent), "--out", str(root / "again.xlsx"), cwd=root, env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "unknown_sheet" not in again.stdout + again.stderr


def test_corrected_copies_sent_back_load_as_the_corrected_originals(
    sample_dir: Path, tmp_path_factory: pytest.TempPathFactory, warehouse_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The round trip up to the loads does not depend on the warehouse: done once for the session and its workers.
    root = built_once(tmp_path_factory, "round_trip", lambda folder: _round_trip(sample_dir / str(YEAR), folder))
    sent, fixed = root / "sent", root / "fixed"

    monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", warehouse_url)
    outcome = yearly_flow(year=YEAR, input_dir=str(sent), reason="copies sent back")
    assert outcome.status == "succeeded", outcome.message
    from_copies = _stored(warehouse_url)
    outcome = yearly_flow(year=YEAR, input_dir=str(fixed), reason="originals corrected")
    assert outcome.status == "succeeded", outcome.message
    from_originals = _stored(warehouse_url)
    for name, frame in from_originals.items():
        assert frame.height > 0, name
        assert_frame_equal(from_copies[name], frame, check_column_order=False)
