"""`edustat query`: refusals exit 1 with a message, exports open in Excel as text, the cap is announced."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from query_builders import FORMULA_NAME, build_warehouse, reader_login, snapshot
from typer.testing import CliRunner, Result


@pytest.fixture
def warehouse(warehouse_url: str) -> Iterator[tuple[dict[str, str], sa.Engine]]:
    """(environment of `edustat query`, engine) of a warehouse with 2020 loaded; on PostgreSQL the query URL is a reader login."""
    engine = build_warehouse(warehouse_url)
    env = {"EDUSTAT_WAREHOUSE_URL": warehouse_url, "EDUSTAT_QUERY_ROLE": "", "EDUSTAT_QUERY_URL": ""}
    with ExitStack() as stack:
        if engine.dialect.name == "postgresql":
            env["EDUSTAT_QUERY_URL"] = stack.enter_context(reader_login(warehouse_url))
        yield env, engine
    engine.dispose()


def _query(env: dict[str, str], *args: str) -> Result:
    from edustat.cli import commands  # noqa: F401  (registers the commands)
    from edustat.cli.app import app

    return CliRunner().invoke(app, ["query", *args], env=env)


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
    result = _query(url, "SELECT no_such_column FROM region")
    assert result.exit_code == 1
    assert "the query failed" in result.output and "no_such_column" in result.output


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


def test_a_query_out_of_time_exits_1_with_a_sentence(warehouse: tuple[dict[str, str], sa.Engine]) -> None:
    env, engine = warehouse
    endless = (
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
        if engine.dialect.name == "sqlite"
        else "SELECT count(*) FROM generate_series(1, 100000000000)"
    )
    started = time.monotonic()
    result = _query({**env, "EDUSTAT_QUERY_TIMEOUT_S": "30"}, endless, "--timeout", "1")
    assert time.monotonic() - started < 2.5  # the option wins over the environment
    assert result.exit_code == 1
    assert "the query ran longer than 1 s and was stopped" in result.output and "查询超过 1 秒" in result.output
    assert "Traceback" not in result.output
    started = time.monotonic()
    assert _query({**env, "EDUSTAT_QUERY_TIMEOUT_S": "1"}, endless).exit_code == 1
    assert time.monotonic() - started < 2.5


def test_postgres_superuser_url_needs_allow_superuser(warehouse: tuple[dict[str, str], sa.Engine]) -> None:
    env, engine = warehouse
    if engine.dialect.name != "postgresql":
        pytest.skip("roles are a PostgreSQL feature")
    superuser = {**env, "EDUSTAT_QUERY_URL": ""}
    refused = _query(superuser, "SELECT count(*) AS n FROM region", "--format", "csv")
    assert refused.exit_code == 1
    assert "a superuser" in refused.output and "EDUSTAT_QUERY_URL" in refused.output and "--allow-superuser" in refused.output
    allowed = _query(superuser, "SELECT count(*) AS n FROM region", "--format", "csv", "--allow-superuser")
    assert allowed.exit_code == 0 and allowed.stdout.splitlines() == ["n", "2"]
    # The reader login of EDUSTAT_QUERY_URL needs no flag.
    assert _query(env, "SELECT count(*) AS n FROM region", "--format", "csv").stdout.splitlines() == ["n", "2"]


def test_the_retired_query_role_variable_is_refused(warehouse: tuple[dict[str, str], sa.Engine]) -> None:
    env, _ = warehouse
    result = _query({**env, "EDUSTAT_QUERY_ROLE": "someone"}, "SELECT 1")
    assert result.exit_code == 2
    assert "EDUSTAT_QUERY_ROLE is no longer used" in result.output
