"""A correction (only the changed files read) stores what a whole-year run over the same folder stores.

The oracle is a whole-year run of the corrected folder into a fresh warehouse: the current values must
be equal bit for bit, the school tables and stored warnings equal as sets of rows.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING
from unittest import mock

import polars as pl
import pytest
import sqlalchemy as sa
from polars.testing import assert_frame_equal
from rerun_data import COUNTY_DIR, SCHOOL, add_to_cell, copy_year, edit_first_cell, query

from flows.yearly import yearly_flow
from tests.conftest import WAREHOUSE_PARAMS
from warehouse.engine import dispose_engines
from warehouse.schema import SCHOOL_TABLES

if TYPE_CHECKING:
    from tests.flows.conftest import LoadedSample

SECURITY_SHEET = "安保"
GUARDS_HEADER = "专职保安员数"


def _more_guards(folder: Path) -> None:
    """Two more guards for the first school of 临夏县's workbook (a single-workbook county, title rows above the header)."""
    edit_first_cell(folder / "622921_临夏县.xlsx", SECURITY_SHEET, GUARDS_HEADER, lambda old: int(float(old)) + 2)


def _county_gone(folder: Path) -> None:
    """积石山's workbook withdrawn: the county has not reported this year (loaded with allow_incomplete)."""
    (folder / "622927_积石山保安族东乡族撒拉族自治县.xlsx").unlink()


def _csv_enrollment_corrected(folder: Path) -> None:
    """10 more preschool children in one school of 东乡's per-table CSV files."""
    add_to_cell(folder / COUNTY_DIR / "在校生.csv", SCHOOL, "学前", "在校生数", 10)


SCENARIOS: dict[str, Callable[[Path], None]] = {
    "workbook_cell": _more_guards,
    "workbook_removed": _county_gone,
    "csv_of_a_split_county": _csv_enrollment_corrected,
}


def _run(url: str, year: int, folder: Path, reason: str, allow_incomplete: bool = False) -> tuple[int, str | None]:
    with mock.patch.dict(os.environ, {"EDUSTAT_WAREHOUSE_URL": url}):
        outcome = yearly_flow(year=year, input_dir=str(folder), reason=reason, allow_incomplete=allow_incomplete)
    assert outcome.status == "succeeded", outcome.message
    message = query(url, f"SELECT message FROM etl_run WHERE run_id = {outcome.run_id}")["message"][0]
    assert outcome.message == message  # what `edustat run` prints under its summary line
    return outcome.run_id, message


def _query(url: str, sql: str) -> pl.DataFrame:
    """``query`` with every row looked at for the column types (a column NULL in its first rows is still typed right)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return pl.read_database(sa.text(sql), connection, infer_schema_length=None)
    finally:
        engine.dispose()


def _stored(url: str, year: int, run_id: int) -> dict[str, pl.DataFrame]:
    frames = {
        "values": _query(
            url,
            f"SELECT region_code, indicator_code, value, numerator, denominator FROM indicator_value "
            f"WHERE year = {year} AND is_current ORDER BY region_code, indicator_code",
        ),
        "warnings": _query(
            url,
            "SELECT severity, table_name, source_file, source_sheet, source_row, column_header, cell, value, rule, message_zh, message_en "
            f"FROM validation_issue WHERE run_id = {run_id}",
        ),
    }
    for name, table in SCHOOL_TABLES.items():
        columns = ", ".join(c.name for c in table.columns if c.name != "run_id")
        frames[name] = _query(url, f"SELECT {columns} FROM {name} WHERE year = {year}")
    return {name: frame.sort(frame.columns, nulls_last=True) if name != "values" else frame for name, frame in frames.items()}


@pytest.fixture
def corrected_pair(tmp_path: Path, loaded_sample: LoadedSample) -> Iterator[Callable[[str], tuple[str, str]]]:
    """Two warehouses of one kind per call: (2019 and 2020 loaded, to be corrected; 2019 alone, to load 2020 whole).

    Both are copies of the session's loads of the sample (rerun_data.load_sample_years: each run succeeded, reason
    "first load"), the same runs this test made itself before.
    """
    with ExitStack() as stack:

        def make(kind: str) -> tuple[str, str]:
            urls = []
            for name, years in (("a", (2019, 2020)), ("b", (2019,))):
                (tmp_path / name).mkdir()
                urls.append(stack.enter_context(loaded_sample.copy(kind, tmp_path / name, years)))
            return urls[0], urls[1]

        yield make
        dispose_engines()


def _compare(sample_dir: Path, tmp_path: Path, urls: tuple[str, str], change: Callable[[Path], None]) -> str | None:
    corrected_url, whole_url = urls
    corrected = copy_year(sample_dir, 2020, tmp_path)
    change(corrected)
    # A county gone is a gap: both runs load it as --allow-incomplete does.
    incomplete = change is _county_gone
    corrected_run, message = _run(corrected_url, 2020, corrected, "a county's correction", incomplete)
    whole_run, whole_message = _run(whole_url, 2020, corrected, "whole year", incomplete)
    assert whole_message is None or not whole_message.startswith("correction")
    expected, actual = _stored(whole_url, 2020, whole_run), _stored(corrected_url, 2020, corrected_run)
    for name in expected:
        try:
            assert_frame_equal(actual[name], expected[name], check_dtypes=False)
        except AssertionError as error:
            raise AssertionError(f"{name} differ: {error}") from error
    return message


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_correction_stores_what_the_whole_year_run_stores(
    scenario: str, sample_dir: Path, tmp_path: Path, corrected_pair: Callable[[str], tuple[str, str]]
) -> None:
    message = _compare(sample_dir, tmp_path, corrected_pair("sqlite"), SCENARIOS[scenario])
    if scenario != "csv_of_a_split_county":
        # A single-workbook county's change never reaches another file: it must go the correction's way.
        assert message is not None and message.startswith("correction of run"), message


@pytest.mark.parametrize("kind", [p for p in WAREHOUSE_PARAMS if p.id == "postgres"])
def test_correction_on_postgresql_stores_what_the_whole_year_run_stores(
    kind: str, sample_dir: Path, tmp_path: Path, corrected_pair: Callable[[str], tuple[str, str]]
) -> None:
    message = _compare(sample_dir, tmp_path, corrected_pair(kind), _more_guards)
    assert message is not None and message.startswith("correction of run"), message
