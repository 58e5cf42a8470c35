"""warehouse/query/check.py: one read statement passes (cut before a trailing semicolon); anything else is refused up front.

SQLite's check only splits statements and looks at the first word (the authorizer judges the rest:
test_query_attacks.py); PostgreSQL's is the parsing guard (test_postgres_guard.py).
"""

from __future__ import annotations

import re

import pytest

from warehouse.query.check import RefusedQuery, check_statement


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT 1", "SELECT 1"),
        ("select * from indicator_current;", "select * from indicator_current"),
        ("SELECT 1; -- done\n", "SELECT 1"),
        ("SELECT 1 ;;", "SELECT 1 "),
        ("  -- first a comment\n WITH x AS (SELECT 1) SELECT * FROM x", "  -- first a comment\n WITH x AS (SELECT 1) SELECT * FROM x"),
        ("VALUES (1), (2)", "VALUES (1), (2)"),
        ("(SELECT 1)", "(SELECT 1)"),
        ("EXPLAIN QUERY PLAN SELECT * FROM region", "EXPLAIN QUERY PLAN SELECT * FROM region"),
        # A semicolon inside a literal, a quoted name or a comment is not one.
        ("SELECT 'a;b; DELETE FROM region' AS t", "SELECT 'a;b; DELETE FROM region' AS t"),
        ("SELECT 'it''s; DROP TABLE x'", "SELECT 'it''s; DROP TABLE x'"),
        ("SELECT [a;b], `c;d` FROM t", "SELECT [a;b], `c;d` FROM t"),
        ("SELECT /* ; DROP TABLE x */ 1", "SELECT /* ; DROP TABLE x */ 1"),
    ],
)
def test_sqlite_read_statements_pass(sql: str, expected: str) -> None:
    assert check_statement(sql, "sqlite") == expected


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("DELETE FROM region", "DELETE is not a read statement"),
        ("REPLACE INTO region VALUES ('1', 'a', 'b', 'county', NULL)", "REPLACE is not a read statement"),
        ("ATTACH DATABASE '/tmp/x.db' AS x", "ATTACH is not a read statement"),
        ("pragma user_version = 3", "PRAGMA is not a read statement"),
        ("VACUUM", "VACUUM is not a read statement"),
        ("BEGIN", "BEGIN is not a read statement"),
        ("SELECT 1; DELETE FROM region", "one statement at a time"),
        ("SELECT 1;\n-- fine\nDROP TABLE region;", "one statement at a time"),
        ("", "the query is empty"),
        ("  -- nothing but a comment", "the query is empty"),
        ("SELECT 'not closed", "not closed"),
        ("SELECT 1 /* not closed", "not closed"),
    ],
)
def test_sqlite_anything_else_is_refused(sql: str, reason: str) -> None:
    with pytest.raises(RefusedQuery, match=re.escape(reason)) as caught:
        check_statement(sql, "sqlite")
    assert "已拒绝" in str(caught.value)  # Chinese and English


def test_unknown_dialect() -> None:
    with pytest.raises(ValueError, match="dialect"):
        check_statement("SELECT 1", "oracle")
