"""`edustat validate --county`: a clerk checks their own county alone, before sending (CONTRACT §3, the clerk's round trip)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.cli_runner import run_edustat

YEAR = "2020"
FAULTY = "622921_临夏县.xlsx"
NOT_KANGLE = ("临夏市", "临夏县", "永靖县", "广河县", "和政县", "东乡族自治县", "积石山")
"""The counties of the sample other than 康乐县 (622922)."""


@pytest.fixture(scope="module")
def sample_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's 2020 folder with two faults in 临夏县's workbook: 在校生数 as words (C4) and a school code twice (学校名录 A9 = A8)."""
    from edustat.sample import write_sample

    root = tmp_path_factory.mktemp("county_sample")
    write_sample(root, [int(YEAR)], seed=2021)
    book = openpyxl.load_workbook(root / YEAR / FAULTY)
    assert book["在校生"]["C3"].value == "在校生数" and book["学校名录"]["A3"].value == "学校标识码"
    book["在校生"]["C4"] = "四百"
    book["学校名录"]["A9"] = book["学校名录"]["A8"].value
    book.save(root / YEAR / FAULTY)
    return root / YEAR


def _validate(tmp_path: Path, folder: Path, *args: str, name: str = "errors"):
    env = {"EDUSTAT_WAREHOUSE_URL": f"sqlite:///{tmp_path / 'none.db'}"}
    out = tmp_path / name / f"errors_{YEAR}.xlsx"
    result = run_edustat("validate", "--year", YEAR, "--input", str(folder), "--out", str(out), *args, cwd=tmp_path, env=env)
    return result, out


def _listed(out: Path) -> list[tuple]:
    """(severity, file, sheet, cell, rule) of every problem in a problem list."""
    rows = openpyxl.load_workbook(out).active.iter_rows(min_row=3, values_only=True)
    return sorted((row[1], row[2], row[3], row[6], row[8]) for row in rows if row[0] is not None)


def test_a_clean_county_alone_exits_0_and_names_no_other_county(sample_year: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    shutil.copytree(sample_year / "622922_康乐县", folder / "622922_康乐县")
    result, out = _validate(tmp_path, folder, "--county", "622922")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no problems found" in output and "1 of 1 counties reported" in output
    assert not any(name in output for name in NOT_KANGLE) and "county_not_reported" not in output
    assert not out.exists()
    # The same folder checked as a whole year: the seven other counties are missing.
    whole, _ = _validate(tmp_path, folder, name="whole")
    assert whole.returncode == 1 and all(name in whole.stdout for name in NOT_KANGLE)


def test_the_faulty_county_gets_exactly_its_own_problems(sample_year: Path, tmp_path: Path) -> None:
    whole, whole_out = _validate(tmp_path, sample_year, name="whole")
    assert whole.returncode == 1
    # A second way to the county's problems: the whole year's, on the county's workbook.
    own = [row for row in _listed(whole_out) if row[1] == FAULTY]
    assert {row[4] for row in own} >= {"not_a_number"} and len({row[1] for row in _listed(whole_out)}) > 1  # 广河县's warnings too

    alone, out = _validate(tmp_path, sample_year, "--county", "622921")
    assert alone.returncode == 1, alone.stdout + alone.stderr
    assert _listed(out) == own
    assert [p.name for p in out.with_name(out.stem).glob("*.xlsx")] == [FAULTY]
    assert "广河县" not in alone.stdout

    # The clerk's folder: their workbook alone.
    folder = tmp_path / "clerk"
    folder.mkdir()
    shutil.copyfile(sample_year / FAULTY, folder / FAULTY)
    mine, mine_out = _validate(tmp_path, folder, "--county", "622921", name="clerk_errors")
    assert mine.returncode == 1 and _listed(mine_out) == own


@pytest.mark.parametrize("code", ["999999", "622900"])
def test_a_code_that_is_no_county_of_the_region_file_is_refused(sample_year: Path, tmp_path: Path, code: str) -> None:
    result, out = _validate(tmp_path, sample_year, "--county", "622921", "--county", code)
    assert result.returncode == 2
    assert code in result.stderr and "not a county of the region file" in result.stderr
    assert not out.exists()


def test_a_clean_check_after_a_correction_leaves_no_stale_copy(sample_year: Path, tmp_path: Path) -> None:
    folder = tmp_path / "clerk"
    folder.mkdir()
    shutil.copyfile(sample_year / FAULTY, folder / FAULTY)
    first, out = _validate(tmp_path, folder, "--county", "622921")
    copy = out.with_name(out.stem) / FAULTY
    assert first.returncode == 1 and copy.exists()
    # The clerk corrects the marked cells of the copy (the sample's values) and puts it in place of the original.
    book = openpyxl.load_workbook(copy)
    book["在校生"]["C4"] = 400
    book["学校名录"]["A9"] = "2162002006"  # the code A9 held before the fixture copied A8 over it
    book.save(folder / FAULTY)
    again, _ = _validate(tmp_path, folder, "--county", "622921")
    assert again.returncode == 0, again.stdout + again.stderr
    assert not copy.exists() and not out.exists() and "removed" in again.stdout
