"""edustat/query/check.py: one read statement passes (cut before a trailing semicolon); anything else is refused up front."""

from __future__ import annotations

import re

import pytest

from edustat.query.check import RefusedQuery, check_statement

BOTH = ("sqlite", "postgresql")


@pytest.mark.parametrize("dialect", BOTH)
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
        ("EXPLAIN SELECT 1", "EXPLAIN SELECT 1"),
        # A semicolon or a write keyword inside a literal or a quoted name is not one.
        ("SELECT 'a;b; DELETE FROM region' AS t", "SELECT 'a;b; DELETE FROM region' AS t"),
        ("SELECT 'it''s; DROP TABLE x'", "SELECT 'it''s; DROP TABLE x'"),
        ('SELECT "delete" FROM t', 'SELECT "delete" FROM t'),
        ("SELECT /* ; DROP TABLE x */ 1", "SELECT /* ; DROP TABLE x */ 1"),
        # replace() is a function, not REPLACE INTO; delete_flag is a name, not DELETE.
        ("SELECT replace(school_name, '小', 'x'), delete_flag FROM schools", "SELECT replace(school_name, '小', 'x'), delete_flag FROM schools"),
    ],
)
def test_read_statements_pass(sql: str, expected: str, dialect: str) -> None:
    assert check_statement(sql, dialect) == expected


@pytest.mark.parametrize("dialect", BOTH)
@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("DELETE FROM region", "DELETE is not a read statement"),
        ("DROP TABLE region", "DROP is not a read statement"),
        ("UPDATE region SET name_zh = 'x'", "UPDATE is not a read statement"),
        ("INSERT INTO region VALUES ('1', 'a', 'b', 'county', NULL)", "INSERT is not a read statement"),
        ("REPLACE INTO region VALUES ('1', 'a', 'b', 'county', NULL)", "REPLACE is not a read statement"),
        ("ATTACH DATABASE '/tmp/x.db' AS x", "ATTACH is not a read statement"),
        ("PRAGMA journal_mode = DELETE", "PRAGMA is not a read statement"),
        ("pragma user_version = 3", "PRAGMA is not a read statement"),
        ("CREATE TABLE x (a int)", "CREATE is not a read statement"),
        ("VACUUM", "VACUUM is not a read statement"),
        ("BEGIN", "BEGIN is not a read statement"),
        ("SET ROLE postgres", "SET is not a read statement"),
        ("COPY region TO '/tmp/x'", "COPY is not a read statement"),
        ("SELECT 1; DELETE FROM region", "one statement at a time"),
        ("SELECT 1; SELECT 2", "one statement at a time"),
        ("SELECT 1;\n-- fine\nDROP TABLE region;", "one statement at a time"),
        ("WITH d AS (DELETE FROM region RETURNING *) SELECT * FROM d", "DELETE writes"),
        ("SELECT * INTO copy_of_region FROM region", "INTO writes"),
        ("SELECT * FROM region FOR UPDATE", "UPDATE writes"),
        ("EXPLAIN ANALYZE DELETE FROM region", "EXPLAIN must explain"),
        ("EXPLAIN DROP TABLE region", "EXPLAIN must explain"),
        ("SELECT pg_terminate_backend(42)", "pg_terminate_backend() is not allowed"),
        ("SELECT load_extension('evil')", "load_extension() is not allowed"),
        ("SELECT set_config('role', 'postgres', false)", "set_config() is not allowed"),
        ("", "the query is empty"),
        ("  -- nothing but a comment", "the query is empty"),
        ("SELECT 'not closed", "not closed"),
        ("SELECT 1 /* not closed", "not closed"),
    ],
)
def test_anything_else_is_refused(sql: str, reason: str, dialect: str) -> None:
    with pytest.raises(RefusedQuery, match=re.escape(reason)) as caught:
        check_statement(sql, dialect)
    assert "已拒绝" in str(caught.value)  # Chinese and English


def test_postgres_literals() -> None:
    assert check_statement("SELECT $$a; DROP TABLE x$$", "postgresql") == "SELECT $$a; DROP TABLE x$$"
    assert check_statement("SELECT $tag$ ; $$ ; $tag$ AS t", "postgresql") == "SELECT $tag$ ; $$ ; $tag$ AS t"
    # E'…' takes backslash escapes: E'\'' is one quote, so the `;` after it is outside the literal.
    with pytest.raises(RefusedQuery, match="one statement"):
        check_statement("SELECT E'\\''; DELETE FROM region; --'", "postgresql")
    assert check_statement("SELECT E'it\\'s; fine'", "postgresql") == "SELECT E'it\\'s; fine'"
    assert check_statement("EXPLAIN (ANALYZE, FORMAT JSON) SELECT 1", "postgresql") == "EXPLAIN (ANALYZE, FORMAT JSON) SELECT 1"


def test_sqlite_literals() -> None:
    assert check_statement("SELECT [a;b], `c;d` FROM t", "sqlite") == "SELECT [a;b], `c;d` FROM t"
    assert check_statement("EXPLAIN QUERY PLAN SELECT * FROM region", "sqlite") == "EXPLAIN QUERY PLAN SELECT * FROM region"


def test_unknown_dialect() -> None:
    with pytest.raises(ValueError, match="dialect"):
        check_statement("SELECT 1", "oracle")
