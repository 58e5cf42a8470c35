"""`edustat query`: refusals exit 1 with a message, exports open in Excel as text, the cap is announced."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from query_builders import FORMULA_NAME, build_warehouse, snapshot
from typer.testing import CliRunner, Result


@pytest.fixture
def warehouse(warehouse_url: str) -> Iterator[tuple[str, sa.Engine]]:
    """(url, engine) of a warehouse with 2020 loaded."""
    engine = build_warehouse(warehouse_url)
    yield warehouse_url, engine
    engine.dispose()


def _query(url: str, *args: str) -> Result:
    from edustat.cli import commands  # noqa: F401  (registers the commands)
    from edustat.cli.app import app

    return CliRunner().invoke(app, ["query", *args], env={"EDUSTAT_WAREHOUSE_URL": url, "EDUSTAT_QUERY_ROLE": ""})


REFUSED = ["DELETE FROM schools", "DROP TABLE region", "UPDATE region SET name_zh = 'x'", "ATTACH DATABASE 'x.db' AS x", "PRAGMA user_version = 1", "SELECT 1; DELETE FROM region"]


def test_refused_statements_exit_1_and_change_nothing(warehouse: tuple[str, sa.Engine]) -> None:
    url, engine = warehouse
    before = snapshot(engine)
    for sql in REFUSED:
        result = _query(url, sql)
        assert result.exit_code == 1, sql
        assert "refused" in result.output and "已拒绝" in result.output, sql
        assert "Traceback" not in result.output
    assert snapshot(engine) == before


def test_a_failing_query_exits_1_with_the_database_message(warehouse: tuple[str, sa.Engine]) -> None:
    url, _ = warehouse
    result = _query(url, "SELECT * FROM no_such_table")
    assert result.exit_code == 1
    assert "the query failed" in result.output and "no_such_table" in result.output


def test_csv_export_opens_a_formula_name_as_text(warehouse: tuple[str, sa.Engine]) -> None:
    url, _ = warehouse
    result = _query(url, "SELECT school_code, school_name, year FROM schools ORDER BY school_code", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["school_code", "school_name", "year"]
    # The quote makes Excel show the cell as text instead of running =HYPERLINK(...).
    assert rows[1] == ["6229010001", "'" + FORMULA_NAME, "2020"]
    assert rows[2] == ["6229010002", "临夏市第一小学", "2020"]
    assert rows[3] == ["6229010003", "'-2+3", "2020"]


def test_xlsx_export_keeps_text_as_text_and_numbers_as_numbers(warehouse: tuple[str, sa.Engine], tmp_path: Path) -> None:
    url, _ = warehouse
    out = tmp_path / "schools.xlsx"
    result = _query(url, "SELECT school_name, year FROM schools ORDER BY school_code", "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).active
    name, year = sheet["A2"], sheet["B2"]
    # A string cell (not a formula: data_type "f") with Excel's quote prefix, the name unchanged.
    assert (name.value, name.data_type, name.quotePrefix) == (FORMULA_NAME, "s", True)
    assert (year.value, year.data_type) == (2020, "n")


def test_the_row_cap_is_announced(warehouse: tuple[str, sa.Engine]) -> None:
    url, _ = warehouse
    result = _query(url, "SELECT school_code FROM schools ORDER BY school_code", "--format", "csv", "--limit", "2")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["school_code", "6229010001", "6229010002"]
    assert "only the first 2 rows are shown" in result.stderr


def test_table_format_to_the_terminal(warehouse: tuple[str, sa.Engine]) -> None:
    url, _ = warehouse
    result = _query(url, "SELECT indicator_code, value FROM indicator_current WHERE region_code = '622900'")
    assert result.exit_code == 0, result.output
    assert "senior_ger" in result.stdout and "81.2" in result.stdout
