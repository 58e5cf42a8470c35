"""warehouse/query/execute.py: read-only execution on SQLite and PostgreSQL; refused or failing statements change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from polars.testing import assert_frame_equal
from query_builders import FORMULA_NAME, build_warehouse, reader_login, snapshot

from warehouse.query import QueryError, QueryLimits, RefusedQuery, execute_read_only, run_query
from warehouse.query.frame import result_column, result_frame, unique_names

ALLOWED = QueryLimits(is_superuser_allowed=True)
"""The test PostgreSQL login is a superuser: these tests say so (the reader's tests do not)."""


@pytest.fixture
def warehouse(warehouse_url: str) -> Iterator[tuple[str, sa.Engine]]:
    """(url, engine) of a warehouse with 2020 loaded."""
    engine = build_warehouse(warehouse_url)
    yield warehouse_url, engine
    engine.dispose()


def test_a_select_returns_typed_columns(warehouse: tuple[str, sa.Engine]) -> None:
    url, _ = warehouse
    result = run_query(url, "SELECT school_code, school_name, year FROM schools ORDER BY school_code", ALLOWED)
    expected = pl.DataFrame(
        {"school_code": ["6229010001", "6229010002", "6229010003"], "school_name": [FORMULA_NAME, "临夏市第一小学", "-2+3"], "year": [2020, 2020, 2020]}
    )
    assert_frame_equal(result.frame, expected)
    assert not result.is_truncated


def test_the_analyst_views_answer(warehouse: tuple[str, sa.Engine]) -> None:
    url, _ = warehouse
    history = run_query(url, "SELECT run_id, status, value_rows, current_value_rows FROM run_history", ALLOWED)
    assert history.frame.rows() == [(1, "succeeded", 3, 3)]
    wide = run_query(url, "SELECT count(*) AS n FROM indicator_wide", ALLOWED)
    assert wide.frame.item() == 2  # one row per region with values: 622900 and 622901


def test_output_is_capped_with_a_flag(warehouse: tuple[str, sa.Engine]) -> None:
    url, _ = warehouse
    result = run_query(url, "SELECT school_code FROM schools ORDER BY school_code", QueryLimits(rows=2, is_superuser_allowed=True))
    assert result.frame.get_column("school_code").to_list() == ["6229010001", "6229010002"]
    assert result.is_truncated and result.limit == 2
    assert not run_query(url, "SELECT school_code FROM schools", QueryLimits(rows=3, is_superuser_allowed=True)).is_truncated


REFUSED = [
    "DELETE FROM schools",
    "DROP TABLE region",
    "UPDATE region SET name_zh = 'x'",
    "ATTACH DATABASE 'attached.db' AS x",
    "PRAGMA user_version = 7",
    "SELECT 1; DELETE FROM region",
    "WITH d AS (DELETE FROM region RETURNING *) SELECT * FROM d",
]

WRITES = [
    "DELETE FROM schools",
    "DROP TABLE region",
    "UPDATE region SET name_zh = 'x'",
    "INSERT INTO region (region_code, name_zh, name_en, region_level) VALUES ('1', 'a', 'b', 'county')",
    "CREATE TABLE scratch (a integer)",
    "SELECT 1; DELETE FROM region",
]


def test_refused_statements_change_nothing(warehouse: tuple[str, sa.Engine]) -> None:
    url, engine = warehouse
    before = snapshot(engine)
    # SQLite has no writing CTE: it fails that one as a syntax error, which runs nothing either.
    expected = (RefusedQuery, QueryError) if engine.dialect.name == "sqlite" else RefusedQuery
    for sql in REFUSED:
        with pytest.raises(expected):
            run_query(url, sql, ALLOWED)
    assert snapshot(engine) == before


def test_the_connection_itself_cannot_write(warehouse: tuple[str, sa.Engine]) -> None:
    # Past the up-front check (called without it): the read-only connection is the real guard.
    url, engine = warehouse
    before = snapshot(engine)
    for sql in WRITES:
        # SQLite's authorizer refuses them as they are prepared; PostgreSQL's READ ONLY transaction fails them.
        with pytest.raises((QueryError, RefusedQuery)):
            execute_read_only(url, sql, ALLOWED)
    assert snapshot(engine) == before
    assert "scratch" not in sa.inspect(engine).get_table_names()


def test_sqlite_read_only_file_refuses_pragma_writes_and_attach(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = build_warehouse(url)
    try:
        with pytest.raises(RefusedQuery, match="PRAGMA is not allowed"):
            execute_read_only(url, "PRAGMA user_version = 7", ALLOWED)
        with pytest.raises((QueryError, RefusedQuery)):
            execute_read_only(url, f"ATTACH DATABASE '{tmp_path / 'new.db'}' AS x", ALLOWED)
        assert not (tmp_path / "new.db").exists()
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA user_version").scalar() == 0
    finally:
        engine.dispose()


def test_explain_runs(warehouse: tuple[str, sa.Engine]) -> None:
    url, engine = warehouse
    statement = "EXPLAIN QUERY PLAN SELECT * FROM region" if engine.dialect.name == "sqlite" else "EXPLAIN SELECT * FROM region"
    assert run_query(url, statement, ALLOWED).frame.height >= 1


def test_a_failing_query_is_a_query_error(warehouse: tuple[str, sa.Engine]) -> None:
    url, _ = warehouse
    with pytest.raises(QueryError, match="the query failed"):
        run_query(url, "SELECT no_such_column FROM region", ALLOWED)


def test_a_missing_sqlite_file_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="no warehouse at"):
        run_query(f"sqlite:///{tmp_path / 'missing.db'}", "SELECT 1")
    assert not (tmp_path / "missing.db").exists()


def test_postgres_reader_reads_the_warehouse_and_nothing_else(warehouse: tuple[str, sa.Engine]) -> None:
    url, engine = warehouse
    if engine.dialect.name != "postgresql":
        pytest.skip("roles are a PostgreSQL feature")
    with reader_login(url) as reader:
        assert run_query(reader, "SELECT count(*) AS n FROM region").frame.item() == 2
        # Every table and view of the warehouse, indicator_wide (re-created by sync) included.
        assert run_query(reader, "SELECT count(*) AS n FROM indicator_wide").frame.item() == 2
        assert run_query(reader, "SELECT count(*) AS n FROM schools").frame.item() == 3
        # Past the guard and the READ ONLY transaction (psql as the reader), the role itself may not write or lock.
        direct = sa.create_engine(reader)
        try:
            for sql in ("SELECT * FROM load_lock FOR UPDATE", "SELECT * FROM region FOR SHARE", "DELETE FROM region", "LOCK TABLE load_lock"):
                with direct.connect() as conn, pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                    conn.exec_driver_sql(sql)
        finally:
            direct.dispose()


def test_postgres_superuser_is_refused_unless_allowed(warehouse: tuple[str, sa.Engine]) -> None:
    url, engine = warehouse
    if engine.dialect.name != "postgresql":
        pytest.skip("roles are a PostgreSQL feature")
    with pytest.raises(RefusedQuery, match="a superuser.*EDUSTAT_QUERY_URL.*--allow-superuser"):
        run_query(url, "SELECT 1")
    assert run_query(url, "SELECT 1 AS n", ALLOWED).frame.item() == 1


def test_result_columns_are_typed_from_their_values() -> None:
    # SQLite columns have no fixed type: 1 and 2.5 are both numbers, 1 and 'x' only text.
    assert_frame_equal(result_column("a", [1, 2.5, None]).to_frame(), pl.DataFrame({"a": [1.0, 2.5, None]}))
    assert result_column("a", [1, "x"]).to_list() == ["1", "x"]
    assert result_column("a", [2**70]).to_list() == [str(2**70)]  # beyond Int64: kept exact as text
    assert result_column("a", [{"k": 1}, [1, 2], b"\x01\xff"]).to_list() == ['{"k": 1}', "[1, 2]", "01ff"]
    assert result_column("a", [None, None]).dtype == pl.String
    assert result_column("a", [True, False]).dtype == pl.Boolean


def test_repeated_names_become_unique() -> None:
    assert unique_names(["a", "a", "a_2", ""]) == ["a", "a_2", "a_2_2", "column"]
    assert result_frame(["n", "n"], [(1, 2)]).columns == ["n", "n_2"]
    assert result_frame(["n"], []).columns == ["n"]


def test_sqlite_table_functions_are_refused(tmp_path: Path) -> None:
    # pragma_table_info() is a PRAGMA under another name: the authorizer refuses it like PRAGMA.
    url = f"sqlite:///{tmp_path / 'w.db'}"
    build_warehouse(url).dispose()
    with pytest.raises(RefusedQuery, match="table-valued functions"):
        run_query(url, "SELECT name FROM pragma_table_info('region') ORDER BY cid")
