"""The attacks of issue 15 against `edustat query`: each refused or denied, no server file content in any answer, data unchanged.

PostgreSQL: as the superuser URL with --allow-superuser (the guard alone stands) and as a login of
the reader role (guard and role); the reader is also tried past the guard, to show the role's own
answer. SQLite: the authorizer, on a read-only file.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from query_builders import build_warehouse, reader_login, snapshot

from warehouse.query import QueryError, QueryLimits, QueryTimeout, RefusedQuery, execute_read_only, run_query

SECRET = f"edustat-secret-{uuid.uuid4().hex}"


@pytest.fixture
def secret_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A file the PostgreSQL server could read (world-readable, under /tmp) holding SECRET."""
    path = Path("/tmp") / f"edustat_secret_{uuid.uuid4().hex}.txt"
    path.write_text(SECRET)
    path.chmod(0o644)
    yield path
    path.unlink()


# (attack, what the refusal names). {file} is the secret file's path.
POSTGRES_ATTACKS = [
    ("SELECT \"pg_read_file\"('{file}')", "pg_read_file()"),
    ("SELECT pg_catalog.\"pg_read_file\"('{file}')", "pg_catalog.pg_read_file()"),
    ("SELECT PG_CATALOG.PG_READ_FILE('{file}')", "pg_catalog.pg_read_file()"),
    ("SELECT U&\"\\0070g_read_file\"('{file}')", "pg_read_file()"),
    ("SELECT pg_read_binary_file('{file}')", "pg_read_binary_file()"),
    ("SELECT query_to_xml('select pg_read_file(''{file}'')', true, true, '')", "query_to_xml()"),
    ("SELECT * FROM (SELECT (SELECT \"pg_read_file\"('{file}')) AS x) s", "pg_read_file()"),
    ("SELECT count(*) FILTER (WHERE \"pg_read_file\"('{file}') IS NULL) FROM region", "pg_read_file()"),
    ("WITH x AS (SELECT pg_read_file('{file}') AS t) SELECT * FROM x", "pg_read_file()"),
    ("SELECT \"lo_import\"('{file}')", "lo_import()"),
    ("SELECT lo_get(\"lo_import\"('{file}'))", "lo_get()"),
    ("SELECT * FROM pg_ls_dir('/tmp')", "pg_ls_dir()"),
    ("SELECT \"pg_terminate_backend\"(0)", "pg_terminate_backend()"),
    ("SELECT pg_cancel_backend(pg_backend_pid())", "pg_cancel_backend()"),
    ("SELECT \"pg_sleep\"(100)", "pg_sleep()"),
    ("SELECT pg_sleep_for('100 seconds')", "pg_sleep_for()"),
    ("SELECT pg_try_advisory_xact_lock(hashtext(coalesce(current_schema(), '') || '.edustat_load'), 2020), pg_sleep_for('45 seconds')", "pg_try_advisory_xact_lock()"),
    ("SELECT \"pg_advisory_lock\"(1)", "pg_advisory_lock()"),
    ("SELECT \"set_config\"('role', 'none', true), pg_read_file('{file}')", "set_config()"),
    ("SELECT current_setting('data_directory')", "current_setting()"),
    ("SELECT dblink_exec('dbname=test', 'DROP TABLE region')", "dblink_exec()"),
    ("SELECT nextval('etl_run_run_id_seq')", "nextval()"),
    ("SELECT * FROM pg_authid", "pg_authid is not a table or view"),
    ("SELECT * FROM pg_catalog.pg_shadow", "pg_catalog.pg_shadow"),
    ("SELECT * FROM information_schema.tables", "information_schema.tables"),
    ("WITH pg_authid AS (SELECT * FROM pg_authid) SELECT * FROM pg_authid", "pg_authid is not a table or view"),
    ("SELECT 'pg_authid'::regclass", "regclass"),
    ("SELECT * FROM region FOR UPDATE", "FOR UPDATE or FOR SHARE"),
    ("SELECT * FROM load_lock FOR UPDATE", "FOR UPDATE or FOR SHARE"),
    ("SELECT * INTO stolen FROM region", "SELECT … INTO"),
    ("WITH d AS (DELETE FROM region RETURNING *) SELECT * FROM d", "DELETE in a WITH clause"),
    ("EXPLAIN ANALYZE SELECT pg_sleep(100)", "EXPLAIN ANALYZE"),
    ("EXPLAIN (ANALYZE) DELETE FROM region", "EXPLAIN ANALYZE"),
    ("SET ROLE none", "SET is not a read statement"),
    ("COPY region TO PROGRAM 'id'", "COPY is not a read statement"),
    ("SELECT 1; SELECT pg_read_file('{file}')", "one statement at a time"),
    ("DO $$ BEGIN PERFORM pg_sleep(100); END $$", "DO is not a read statement"),
    ("SELECT xmlparse(document '<x/>')", "XML"),
    ("SELECT 1 OPERATOR(public.+) 1", "OPERATOR(public.+)"),
    ("SELECT public.lower('x')", "public.lower()"),
    ("SELECT * FROM region TABLESAMPLE SYSTEM (50)", "TABLESAMPLE"),
]


def _is_postgres(engine: sa.Engine) -> bool:
    return engine.dialect.name == "postgresql"


@pytest.fixture
def warehouse(warehouse_url: str) -> Iterator[tuple[str, sa.Engine]]:
    engine = build_warehouse(warehouse_url)
    yield warehouse_url, engine
    engine.dispose()


def _refused(url: str, sql: str, limits: QueryLimits) -> str:
    with pytest.raises(RefusedQuery) as caught:
        run_query(url, sql, limits)
    return str(caught.value)


def test_postgres_attacks_are_refused_for_superuser_and_reader(warehouse: tuple[str, sa.Engine], secret_file: Path) -> None:
    url, engine = warehouse
    if not _is_postgres(engine):
        pytest.skip("the PostgreSQL attack table")
    before = snapshot(engine)
    with reader_login(url) as reader:
        for template, named in POSTGRES_ATTACKS:
            sql = template.replace("{file}", str(secret_file))
            for target, limits in ((url, QueryLimits(is_superuser_allowed=True, timeout_s=5)), (reader, QueryLimits(timeout_s=5))):
                message = _refused(target, sql, limits)
                assert named in message, (sql, message)
                assert SECRET not in message
    assert snapshot(engine) == before
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM pg_largeobject_metadata").scalar() == 0


@pytest.mark.parametrize(
    "template",
    [
        "SELECT \"pg_read_file\"('{file}')",
        "SELECT query_to_xml('select pg_read_file(''{file}'')', true, true, '')",
        "SELECT \"lo_import\"('{file}')",
        "SELECT \"set_config\"('role', 'none', true), pg_read_file('{file}')",
        "SELECT pg_read_binary_file('{file}')",
        "SELECT * FROM pg_authid",
    ],
)
def test_postgres_reader_is_denied_past_the_guard(warehouse: tuple[str, sa.Engine], secret_file: Path, template: str) -> None:
    # Without the guard (execute_read_only), the reader role's own rights still deny the attack.
    url, engine = warehouse
    if not _is_postgres(engine):
        pytest.skip("roles are a PostgreSQL feature")
    before = snapshot(engine)
    with reader_login(url) as reader, pytest.raises(QueryError) as caught:
        execute_read_only(reader, template.replace("{file}", str(secret_file)), QueryLimits(timeout_s=5))
    assert "permission denied" in str(caught.value) or "must be a superuser" in str(caught.value) or "read-only transaction" in str(caught.value)
    assert SECRET not in str(caught.value)
    assert snapshot(engine) == before


def test_a_reader_query_holding_the_old_advisory_lock_does_not_block_a_load(warehouse: tuple[str, sa.Engine]) -> None:
    """The loader's old lock, taken past the guard by the reader while the year loads: the load neither waits nor fails."""
    import threading

    import polars as pl
    from query_builders import staged

    from schemas.issues import empty_issues
    from warehouse.load import load_year
    from warehouse.runs import start_run

    url, engine = warehouse
    if not _is_postgres(engine):
        pytest.skip("advisory locks are a PostgreSQL feature; SQLite's write lock is covered in test_query_lock.py")
    sleep_s = 6.0
    statement = (
        "SELECT pg_try_advisory_xact_lock(hashtext(coalesce(current_schema(), '') || '.edustat_load'), 2020) AS taken, "
        f"pg_sleep({sleep_s})::text AS slept"
    )
    with reader_login(url) as reader:
        outcome: dict[str, object] = {}
        def hold() -> None:
            outcome["rows"] = execute_read_only(reader, statement, QueryLimits(timeout_s=30)).frame.rows()
            outcome["ended_s"] = time.monotonic() - started

        query = threading.Thread(target=hold)
        started = time.monotonic()
        query.start()
        time.sleep(1.0)  # the query holds the lock by now
        run_id = start_run(engine, 2020, "manual", "during a query", "fp2", None)
        values = pl.DataFrame(
            [("622901", "senior_ger", 90.0, 900.0, 1000.0)],
            schema={"region_code": pl.String, "indicator_code": pl.String, "value": pl.Float64, "numerator": pl.Float64, "denominator": pl.Float64},
            orient="row",
        )
        load_year(engine, run_id, 2020, values, staged(), empty_issues(), 2.0)
        loaded_after_s = time.monotonic() - started
        query.join(30)
    assert outcome["rows"] == [(True, "")]  # the query did take the old lock and did sleep
    assert loaded_after_s < sleep_s <= outcome["ended_s"]  # the load did not wait for it
    with engine.connect() as conn:
        assert conn.exec_driver_sql(f"SELECT status FROM etl_run WHERE run_id = {run_id}").scalar() == "succeeded"


def test_postgres_timeout_stops_the_query_on_the_server(warehouse: tuple[str, sa.Engine]) -> None:
    url, engine = warehouse
    if not _is_postgres(engine):
        pytest.skip("PostgreSQL's statement_timeout")
    marker = f"m{uuid.uuid4().hex[:8]}"
    sql = f"SELECT count(*) AS {marker} FROM generate_series(1, 100000000000) a"
    with reader_login(url) as reader:
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match="longer than 1 s"):
            run_query(reader, sql, QueryLimits(timeout_s=1))
        assert time.monotonic() - started < 2.0
    with engine.connect() as conn:
        running = conn.execute(
            sa.text("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE :pattern AND pid <> pg_backend_pid()"),
            {"pattern": f"%{marker}%"},
        ).scalar()
    assert running == 0


SQLITE_ATTACKS = [
    ("SELECT load_extension('/tmp/evil.so')", "load_extension()"),
    ("SELECT \"load_extension\"('/tmp/evil.so')", "load_extension()"),
    ("SELECT writefile('{out}', 'y')", "writefile()"),
    ("SELECT readfile('{file}')", "readfile()"),
    ("SELECT zeroblob(1000000000)", "zeroblob()"),
    ("SELECT randomblob(1000000000)", "randomblob()"),
    ("SELECT fts3_tokenizer('simple')", "fts3_tokenizer()"),
    ("SELECT (SELECT load_extension('x')) FROM region", "load_extension()"),
    ("WITH x AS (SELECT writefile('{out}', 'y')) SELECT * FROM x", "writefile()"),
    ("SELECT * FROM sqlite_master", "sqlite_master is not a table or view"),
    ("SELECT * FROM pragma_table_info('region')", "table-valued functions"),
    ("ATTACH DATABASE '{out}' AS x", "ATTACH"),
    ("PRAGMA writable_schema = ON", "PRAGMA"),
    ("DELETE FROM region", "DELETE is not a read statement"),
    ("SELECT 1; DELETE FROM region", "one statement at a time"),
]


def test_sqlite_attacks_are_refused(warehouse: tuple[str, sa.Engine], secret_file: Path) -> None:
    url, engine = warehouse
    if _is_postgres(engine):
        pytest.skip("the SQLite attack table")
    before = snapshot(engine)
    written = Path(str(secret_file) + ".written")
    for template, named in SQLITE_ATTACKS:
        sql = template.replace("{file}", str(secret_file)).replace("{out}", str(written))
        # A function that SQLite does not have (writefile, readfile: the shell's) fails as unknown before the authorizer is asked.
        with pytest.raises((RefusedQuery, QueryError)) as caught:
            run_query(url, sql, QueryLimits(timeout_s=5))
        message = str(caught.value)
        assert isinstance(caught.value, RefusedQuery) or f"no such function: {named.removesuffix('()')}" in message, (sql, message)
        assert named.removesuffix("()") in message, (sql, message)
        assert SECRET not in message
        # Past the up-front check, the authorizer alone refuses what it sees.
        if not sql.upper().startswith(("DELETE", "SELECT 1;")):
            with pytest.raises((RefusedQuery, QueryError)):
                execute_read_only(url, sql, QueryLimits(timeout_s=5))
    assert snapshot(engine) == before
    assert not written.exists()


def test_sqlite_endless_recursive_cte_stops_at_the_timeout(warehouse: tuple[str, sa.Engine]) -> None:
    url, engine = warehouse
    if _is_postgres(engine):
        pytest.skip("SQLite's progress handler")
    sql = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="longer than 1 s"):
        run_query(url, sql, QueryLimits(timeout_s=1))
    assert 1.0 <= time.monotonic() - started < 2.0


def test_a_recursive_cte_that_ends_runs(warehouse: tuple[str, sa.Engine]) -> None:
    url, engine = warehouse
    limits = QueryLimits(is_superuser_allowed=True)
    sql = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 100) SELECT sum(n) AS total FROM r"
    assert run_query(url, sql, limits).frame.item() == 5050  # 100 · 101 / 2
