"""warehouse/query/postgres_guard.py: the parse-tree guard on its own, no server needed."""

from __future__ import annotations

import re

import pytest

from warehouse.query.check import check_statement
from warehouse.query.refusal import RefusedQuery


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT 1", "SELECT 1"),
        ("select * from indicator_current;", "select * from indicator_current"),
        ("SELECT '临夏' AS t;", "SELECT '临夏' AS t"),  # the cut counts characters, not bytes
        ("SELECT 'a;b; DELETE FROM region' AS t", "SELECT 'a;b; DELETE FROM region' AS t"),
        ("SELECT $$a; DROP TABLE x$$ AS t", "SELECT $$a; DROP TABLE x$$ AS t"),
        ("SELECT E'it\\'s; fine' AS t", "SELECT E'it\\'s; fine' AS t"),
        ("SELECT 'pg_read_file(1)' AS not_a_call", "SELECT 'pg_read_file(1)' AS not_a_call"),
        ("VALUES (1), (2)", "VALUES (1), (2)"),
        ("(SELECT 1) UNION ALL (SELECT 2)", "(SELECT 1) UNION ALL (SELECT 2)"),
        ("EXPLAIN (FORMAT JSON, VERBOSE) SELECT * FROM region", "EXPLAIN (FORMAT JSON, VERBOSE) SELECT * FROM region"),
        (
            "WITH x AS (SELECT region_code FROM region), y AS (SELECT * FROM x) SELECT count(*) FROM y",
            "WITH x AS (SELECT region_code FROM region), y AS (SELECT * FROM x) SELECT count(*) FROM y",
        ),
        (
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r",
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r",
        ),
    ],
)
def test_reads_pass(sql: str, expected: str) -> None:
    assert check_statement(sql, "postgresql") == expected


ANALYST_READS = [
    "SELECT year, region_code, round(value::numeric, 1), coalesce(numerator, 0), nullif(denominator, 0), greatest(1, 2), least(1, 2) FROM indicator_current",
    "SELECT extract(year FROM now()), date_trunc('month', started_at), to_char(started_at, 'YYYY'), age(finished_at, started_at), CURRENT_DATE FROM etl_run",
    "SELECT substring(name_zh FROM 1 FOR 2), trim(name_en), upper(name_en), length(name_zh), name_zh || '县', position('a' IN name_en) FROM region",
    "SELECT region_level, count(*) FILTER (WHERE parent_code IS NULL), string_agg(region_code, ',' ORDER BY region_code) FROM region GROUP BY region_level HAVING count(*) > 0",
    "SELECT region_code, rank() OVER (PARTITION BY year ORDER BY value DESC), lag(value) OVER w FROM indicator_current WINDOW w AS (ORDER BY year)",
    "SELECT CASE WHEN value > 90 THEN 'high' ELSE 'low' END, value BETWEEN 1 AND 2, region_code IN (SELECT region_code FROM region) FROM indicator_value",
    "SELECT * FROM indicator_wide w JOIN region r USING (region_code) LEFT JOIN schools s ON s.county_code = r.region_code ORDER BY 1 LIMIT 10 OFFSET 5",
    "SELECT CAST(year AS text), DATE '2020-09-01', INTERVAL '1 day', percentile_cont(0.5) WITHIN GROUP (ORDER BY value) FROM indicator_value GROUP BY year",
    "SELECT x FROM generate_series(2019, 2021) AS x",
    "SELECT pg_catalog.lower(name_en) FROM region",
    "SELECT DISTINCT ON (region_code) region_code, year FROM indicator_value ORDER BY region_code, year DESC",
]


@pytest.mark.parametrize("sql", ANALYST_READS)
def test_what_an_analyst_writes_passes(sql: str) -> None:
    assert check_statement(sql, "postgresql") == sql


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("SELECT 1; SELECT 2", "one statement at a time"),
        ("", "the query is empty"),
        ("SELEC 1", "cannot parse"),
        ("SELECT \"PG_SLEEP\"(1)", "the function PG_SLEEP()"),  # a quoted name keeps its case: no such function, refused anyway
        ("SELECT \"delete\" FROM t", "t is not a table or view"),
        ("SELECT * FROM region r, LATERAL (SELECT * FROM pg_stat_activity) a", "pg_stat_activity is not a table or view"),
        # A CTE's name is visible after it, not inside it (unless RECURSIVE): this pg_authid is the catalog's.
        ("WITH pg_authid AS (SELECT * FROM pg_authid) SELECT * FROM pg_authid", "pg_authid is not a table or view"),
        ("SELECT (WITH s AS (SELECT 1) SELECT 1), * FROM s", "s is not a table or view"),
        ("SELECT * FROM rows from (generate_series(1, 2))", "ROWS FROM"),
        ("SELECT * FROM pg_ls_dir('/')", "pg_ls_dir()"),
        ("SELECT * FROM lower('x')", "lower()"),  # allowed as a value, not as a FROM item
        ("SELECT $1", "$n parameter"),
        ("SELECT 'x'::regproc", "a cast to regproc"),
        ("SELECT 'x'::public.mytype", "a cast to public.mytype"),
        ("EXPLAIN (ANALYZE false) SELECT 1", "EXPLAIN ANALYZE"),
        ("EXPLAIN (BUFFERS) SELECT 1", "EXPLAIN BUFFERS"),
        ("EXPLAIN DELETE FROM region", "EXPLAIN must explain"),
        ("SELECT * FROM region FOR SHARE", "FOR UPDATE or FOR SHARE"),
        ("CREATE TABLE t AS SELECT 1", "CREATE TABLE AS is not a read statement"),
        ("LOCK TABLE load_lock", "LOCK is not a read statement"),
        ("SELECT xmlelement(name x)", "an XML function"),
    ],
)
def test_anything_else_is_refused(sql: str, reason: str) -> None:
    with pytest.raises(RefusedQuery, match=re.escape(reason)) as caught:
        check_statement(sql, "postgresql")
    assert "已拒绝" in str(caught.value)
