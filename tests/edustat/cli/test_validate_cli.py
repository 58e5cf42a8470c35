"""`edustat validate` as a clerk runs it: a blank template filled in passes; a broken workbook gets a clear answer and an error workbook."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from tests.edustat.cli.test_cli import edustat
from tests.edustat.template.template_fill import fill_template
from tests.flows.bad_files import encrypted_xlsx

COUNTY_FILE = "622921_临夏县.xlsx"


@pytest.fixture(scope="module")
def filled_year(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A year folder holding one county workbook: `edustat template`, then filled as a clerk would (tests copy it)."""
    root = tmp_path_factory.mktemp("validate_cli")
    made = edustat("template", "--out", "blank.xlsx", cwd=root)
    assert made.returncode == 0, made.stdout + made.stderr
    year = root / "2020"
    year.mkdir()
    fill_template(root / "blank.xlsx", out_path=year / COUNTY_FILE)
    yield year


ONE_COUNTY = """
[[region]]
code = "620000"
name_zh = "甘肃省"
name_en = "Gansu Province"
level = "province"

[[region]]
code = "622900"
name_zh = "临夏回族自治州"
name_en = "Linxia Hui Autonomous Prefecture"
level = "prefecture"
parent_code = "620000"

[[region]]
code = "622921"
name_zh = "临夏县"
name_en = "Linxia County"
level = "county"
parent_code = "622900"
"""
"""The clerk's own county alone: against the prefecture's eight, the other seven would be county_not_reported."""


def _env(tmp_path: Path) -> dict[str, str]:
    # A warehouse that does not exist yet: validate must not need one (no previous year, no year-on-year warnings).
    regions = tmp_path / "one_county.toml"
    regions.write_text(ONE_COUNTY, encoding="utf-8")
    return {"EDUSTAT_WAREHOUSE_URL": f"sqlite:///{tmp_path / 'w.db'}", "EDUSTAT_REGIONS_FILE": str(regions)}


def test_a_filled_template_validates_clean(filled_year: Path, tmp_path: Path) -> None:
    result = edustat("validate", "--year", "2020", "--input", str(filled_year), "--out", "errors.xlsx", cwd=tmp_path, env=_env(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no problems found" in output and "Traceback" not in output
    assert not (tmp_path / "errors.xlsx").exists()  # nothing to mark, no workbook


def test_a_broken_workbook_gets_a_clear_answer(filled_year: Path, tmp_path: Path) -> None:
    year = tmp_path / "2020"
    shutil.copytree(filled_year, year)
    # The template has a note row on top: the header is row 2, the school's primary row is row 3, 在校生数 is column C.
    book = openpyxl.load_workbook(year / COUNTY_FILE)
    assert book["在校生"]["C2"].value == "在校生数" and book["在校生"]["C3"].value == 300
    book["在校生"]["C3"] = "三百"
    book.save(year / COUNTY_FILE)
    # A second county sent its workbook with a password on it.
    (year / "622922_康乐县.xlsx").write_bytes(encrypted_xlsx())

    result = edustat("validate", "--year", "2020", "--input", str(year), "--out", "marked.xlsx", cwd=tmp_path, env=_env(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert "2 errors" in output
    # file › sheet › row › column (cell), the value and the rule in both languages
    assert f"{COUNTY_FILE} › sheet 在校生 › row 3 › column 在校生数 (C3)" in output
    assert "students '三百' is not a number" in output and "在校生数“三百”不是数字" in output
    assert "622922_康乐县.xlsx" in output and "password-protected" in output and "密码" in output
    marked = tmp_path / "marked.xlsx"
    assert str(marked.name) in output
    # The cell is marked in the county's marked copy, beside the problem list in the folder named like it.
    cell = openpyxl.load_workbook(tmp_path / "marked" / COUNTY_FILE)["在校生"]["C3"]
    assert cell.value == "三百" and cell.comment is not None and "not a number" in cell.comment.text


def test_dot_files_are_listed_as_skipped_and_control_characters_are_escaped(filled_year: Path, tmp_path: Path) -> None:
    year = tmp_path / "2020"
    shutil.copytree(filled_year, year)
    shutil.copy(year / COUNTY_FILE, year / ".备份.xlsx")  # a hidden copy: not read (its keys would all be duplicates), but named
    (year / "forged\n  [error] x.csv").write_bytes(b"\xff\xfe\x00garbage")  # a name that tries to print a line of its own

    result = edustat("validate", "--year", "2020", "--input", str(year), "--out", "marked.xlsx", cwd=tmp_path, env=_env(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert ".备份.xlsx" in output and "hidden file" in output
    assert "duplicate" not in output  # the hidden copy was not read
    assert "forged\\n  [error] x.csv" in output
    assert not any(line.lstrip().startswith("[error] x.csv") for line in output.splitlines())


def test_an_out_without_xlsx_is_refused_before_anything_is_written(filled_year: Path, tmp_path: Path) -> None:
    # The marked copies' folder is the workbook's name without .xlsx: `--out errors` would make them one path.
    result = edustat("validate", "--year", "2020", "--input", str(filled_year), "--out", "errors", cwd=tmp_path, env=_env(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "--out errors: 须为 .xlsx 文件 / must name an .xlsx file" in output and "Traceback" not in output
    assert not (tmp_path / "errors").exists()
