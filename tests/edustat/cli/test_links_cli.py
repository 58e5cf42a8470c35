"""Links in the input folder, through `edustat run` and `edustat validate`: nothing outside the folder is ever read.

A link (to a file or a folder) that leads outside the input folder is an error naming the link, the
run is rejected, and the target's content appears nowhere: not in validation_issue, not in what
the command prints, not in the error workbook. The target is a population sheet whose one value
would be quoted in an issue, were it read. A link to a file inside the folder is a warning, and
that file's rows count once.
"""

from __future__ import annotations

import shutil
import subprocess
import html
import zipfile
from pathlib import Path

import sqlalchemy as sa

from tests.edustat.cli.test_cli import edustat
from tests.edustat.cli.test_validate_cli import COUNTY_FILE, ONE_COUNTY, filled_year  # noqa: F401 - the fixture
from tests.edustat.template.template_fill import SMALL_SCHOOL

SECRET = "SECRET-7f3a-机密"
"""What the file outside the folder holds: it must never show up anywhere."""

LINK = "622921_人口.csv"
"""The link's name: a population sheet of the one county, so that its rows would be read as such."""

POPULATION_HEADER = "行政区划代码,3-5岁人口,6-11岁人口,12-14岁人口,15-17岁人口"


def _link_out(year: Path, tmp_path: Path) -> None:
    """Two links in ``year`` out of it: LINK to a secret population sheet, ``more`` to a folder holding another."""
    place = tmp_path / "outside"
    (place / "sub").mkdir(parents=True)
    for path in (place / "人口.csv", place / "sub" / "人口.csv"):
        path.write_text(f"{POPULATION_HEADER}\n622921,{SECRET},1,1,1\n", encoding="utf-8")
    (year / LINK).symlink_to(place / "人口.csv")
    (year / "more").symlink_to(place / "sub", target_is_directory=True)


def _env(tmp_path: Path, warehouse_url: str, prefect_api_url: str | None = None) -> dict[str, str]:
    regions = tmp_path / "one_county.toml"
    regions.write_text(ONE_COUNTY, encoding="utf-8")
    env = {"EDUSTAT_WAREHOUSE_URL": warehouse_url, "EDUSTAT_REGIONS_FILE": str(regions)}
    return env | ({"PREFECT_API_URL": prefect_api_url} if prefect_api_url else {})


def _assert_refused(result: subprocess.CompletedProcess[str]) -> None:
    """Exit 1, both links named in both languages, no traceback, and not a character of the secret."""
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert LINK in output and "more" in output
    assert "outside the input folder" in output and "链接指向输入文件夹之外" in output
    assert SECRET not in output


def _workbook_text(path: Path) -> str:
    """Every XML part of an .xlsx as one text (cells, comments, sheet names), character references resolved
    (a writer may store 人 as &#20154;)."""
    with zipfile.ZipFile(path) as book:
        return "".join(html.unescape(book.read(name).decode("utf-8", errors="replace")) for name in book.namelist())


def _rows(url: str, sql: str) -> list[tuple]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(sa.text(sql))]
    finally:
        engine.dispose()


def test_links_out_of_the_folder_reject_the_rerun_and_nothing_of_theirs_is_read(
    filled_year: Path, tmp_path: Path, warehouse_url: str, prefect_api_url: str
) -> None:
    year = tmp_path / "2020"
    shutil.copytree(filled_year, year)
    env = _env(tmp_path, warehouse_url, prefect_api_url)
    first = edustat("run", "--year", "2020", "--input", str(year), "--reason", "clean", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stdout + first.stderr

    _link_out(year, tmp_path)
    # Same files as the loaded version: without the links in its fingerprint the rerun would be "unchanged".
    _assert_refused(edustat("run", "--year", "2020", "--input", str(year), "--reason", "links", cwd=tmp_path, env=env))

    (status,) = _rows(warehouse_url, "SELECT status FROM etl_run WHERE reason = 'links'")
    assert status == ("rejected",)
    issues = _rows(
        warehouse_url,
        "SELECT i.source_file, i.rule, i.severity FROM validation_issue i JOIN etl_run r ON r.run_id = i.run_id "
        "WHERE r.reason = 'links' AND i.rule = 'link_outside_folder' ORDER BY i.source_file",
    )
    assert issues == sorted([("more", "link_outside_folder", "error"), (LINK, "link_outside_folder", "error")])
    stored = _rows(warehouse_url, "SELECT * FROM validation_issue")
    assert stored and not any(SECRET in str(value) for row in stored for value in row)

    workbook = tmp_path / "errors" / "errors_2020.xlsx"
    text = _workbook_text(workbook)
    assert LINK in text  # the problem is listed
    assert SECRET not in text


def test_a_link_to_a_file_of_the_folder_is_a_warning_and_its_rows_count_once(
    filled_year: Path, tmp_path: Path, warehouse_url: str, prefect_api_url: str
) -> None:
    year = tmp_path / "2020"
    shutil.copytree(filled_year, year)
    (year / "copy.xlsx").symlink_to(year / COUNTY_FILE)  # read twice, every school would be a duplicate key
    env = _env(tmp_path, warehouse_url, prefect_api_url)
    result = edustat("run", "--year", "2020", "--input", str(year), "--reason", "inside", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr

    warned = _rows(warehouse_url, "SELECT source_file, rule, severity, value FROM validation_issue WHERE rule LIKE 'link%'")
    assert warned == [("copy.xlsx", "link_in_folder", "warning", COUNTY_FILE)]
    assert _rows(warehouse_url, "SELECT COUNT(*) FROM schools WHERE year = 2020") == [(len(SMALL_SCHOOL["schools"]),)]
    files = _rows(warehouse_url, "SELECT source_file FROM input_file ORDER BY source_file")
    assert files == [(COUNTY_FILE,)]  # the link is neither hashed nor recorded as an input


def test_validate_names_a_link_out_of_the_folder_and_never_reads_it(filled_year: Path, tmp_path: Path) -> None:
    year = tmp_path / "2020"
    shutil.copytree(filled_year, year)
    _link_out(year, tmp_path)
    env = _env(tmp_path, f"sqlite:///{tmp_path / 'w.db'}")
    _assert_refused(edustat("validate", "--year", "2020", "--input", str(year), "--out", "marked.xlsx", cwd=tmp_path, env=env))
    text = _workbook_text(tmp_path / "marked.xlsx")
    assert LINK in text and SECRET not in text
