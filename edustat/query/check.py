"""The up-front check of `edustat query`: one read statement, or a clear refusal.

The read-only connection (execute.py) is the real guard; this check turns the common mistakes
(a DELETE, a `;`-chained second statement, a PRAGMA) into a plain message before anything runs.
It scans the SQL once, skipping string literals, quoted identifiers and comments, so a `;` or a
keyword inside a literal never counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

READ_STARTS = frozenset({"select", "with", "values", "explain"})
"""The words a statement may begin with."""

EXPLAIN_OPTIONS = frozenset({"analyze", "analyse", "verbose", "query", "plan"})
"""Words that may stand between EXPLAIN and the statement it explains."""

WRITE_WORDS = frozenset({"insert", "update", "delete", "merge", "into", "upsert", "truncate", "drop", "create", "alter", "attach", "detach", "pragma", "vacuum", "reindex", "grant", "revoke"})
"""Keywords that make a statement write (a data-modifying CTE, SELECT … INTO, FOR UPDATE) wherever they stand outside literals."""

REFUSED_FUNCTIONS = frozenset(
    {
        # PostgreSQL: act outside the transaction, on the server, or on other sessions.
        "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "pg_rotate_logfile", "pg_promote",
        "pg_switch_wal", "pg_create_restore_point", "pg_read_file", "pg_read_binary_file", "pg_ls_dir",
        "pg_stat_file", "lo_import", "lo_export", "lo_unlink", "lo_create", "lo_creat", "lo_put",
        "lo_from_bytea", "set_config", "nextval", "setval", "dblink", "dblink_exec", "dblink_connect",
        "pg_advisory_lock", "pg_advisory_xact_lock", "pg_advisory_lock_shared", "pg_sleep",
        # SQLite: extensions and file access of the command-line shell.
        "load_extension", "readfile", "writefile",
    }
)
"""Functions refused by name: they have effects that a read-only transaction does not stop, or only tie up the server."""

DIALECTS = ("sqlite", "postgresql")

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
_DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$")


class RefusedQuery(Exception):
    """The statement is not a single read statement; the message says why, in Chinese and English."""


@dataclass(frozen=True)
class Token:
    """One word, symbol or semicolon of the statement outside literals and comments; ``start`` is its offset."""

    kind: str
    text: str
    start: int


def _refuse(english: str, chinese: str) -> RefusedQuery:
    return RefusedQuery(f"refused: {english} / 已拒绝：{chinese}")


def _end_of_quoted(sql: str, start: int, quote: str, backslash: bool = False) -> int:
    """Offset just past the literal opened by ``quote`` at ``start`` (a doubled quote escapes it)."""
    position = start + 1
    while position < len(sql):
        char = sql[position]
        if backslash and char == "\\":
            position += 2
            continue
        if char == quote:
            if position + 1 < len(sql) and sql[position + 1] == quote:
                position += 2
                continue
            return position + 1
        position += 1
    raise _refuse("a quoted string or name is not closed", "引号未闭合")


def _end_of_block_comment(sql: str, start: int, nested: bool) -> int:
    depth, position = 1, start + 2
    while position < len(sql):
        if nested and sql.startswith("/*", position):
            depth, position = depth + 1, position + 2
        elif sql.startswith("*/", position):
            depth, position = depth - 1, position + 2
            if depth == 0:
                return position
        else:
            position += 1
    raise _refuse("a /* comment */ is not closed", "注释未闭合")


def tokens(sql: str, dialect: str) -> Iterator[Token]:
    """The words, symbols and semicolons of ``sql`` in order, skipping literals, quoted names and comments of ``dialect``."""
    is_postgres = dialect == "postgresql"
    position = 0
    while position < len(sql):
        char = sql[position]
        if char.isspace():
            position += 1
        elif sql.startswith("--", position):
            newline = sql.find("\n", position)
            position = len(sql) if newline < 0 else newline + 1
        elif sql.startswith("/*", position):
            position = _end_of_block_comment(sql, position, nested=is_postgres)
        elif char in "'\"":
            position = _end_of_quoted(sql, position, char)
        elif not is_postgres and char in "`[":
            position = _end_of_quoted(sql, position, "`" if char == "`" else "]")
        elif is_postgres and char == "$" and (tag := _DOLLAR_TAG.match(sql, position)):
            end = sql.find(tag.group(), tag.end())
            if end < 0:
                raise _refuse("a $$ string is not closed", "$$ 字符串未闭合")
            position = end + len(tag.group())
        elif word := _WORD.match(sql, position):
            if is_postgres and word.group().lower() == "e" and word.end() < len(sql) and sql[word.end()] == "'":
                # E'…' strings take backslash escapes: E'\'' is one quote, not the end.
                position = _end_of_quoted(sql, word.end(), "'", backslash=True)
                continue
            yield Token("word", word.group().lower(), position)
            position = word.end()
        elif char == ";":
            yield Token("semicolon", char, position)
            position += 1
        else:
            yield Token("symbol", char, position)
            position += 1


def check_statement(sql: str, dialect: str) -> str:
    """The statement to run: ``sql`` cut before a trailing semicolon, when it is one read statement; else RefusedQuery.

    Read statements begin with SELECT, WITH, VALUES or EXPLAIN (of one of those) and hold no
    writing keyword (INSERT, UPDATE, DELETE, … INTO) or refused function outside literals.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; expected one of {DIALECTS}")
    found = list(tokens(sql, dialect))
    semicolons = [i for i, token in enumerate(found) if token.kind == "semicolon"]
    if semicolons:
        if any(token.kind != "semicolon" for token in found[semicolons[0] :]):
            raise _refuse("one statement at a time; a `;` is followed by another statement", "一次只能执行一条语句")
        sql = sql[: found[semicolons[0]].start]
        found = found[: semicolons[0]]
    words = [t for t in found if t.kind == "word"]
    if not words:
        raise _refuse("the query is empty", "查询为空")
    first = next((t for t in found if t.text != "("), words[0])
    if first.kind != "word" or first.text not in READ_STARTS:
        raise _refuse(
            f"{first.text.upper()} is not a read statement; only SELECT, WITH, VALUES and EXPLAIN SELECT run",
            f"{first.text.upper()} 不是只读查询，只允许 SELECT、WITH、VALUES 和 EXPLAIN SELECT",
        )
    if first.text == "explain":
        _check_explained(found[found.index(first) + 1 :])
    for index, token in enumerate(found):
        if token.kind != "word":
            continue
        if token.text in WRITE_WORDS:
            raise _refuse(f"{token.text.upper()} writes; the query command only reads", f"{token.text.upper()} 会写入数据，query 命令只读")
        is_call = index + 1 < len(found) and found[index + 1].text == "("
        if is_call and token.text in REFUSED_FUNCTIONS:
            raise _refuse(f"the function {token.text}() is not allowed in a query", f"查询中不允许使用函数 {token.text}()")
    return sql


def _check_explained(rest: list[Token]) -> None:
    """Refuse EXPLAIN unless what it explains is a read statement (EXPLAIN ANALYZE runs it)."""
    depth = 0
    for token in rest:
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif depth == 0 and token.kind == "word" and token.text not in EXPLAIN_OPTIONS:
            if token.text in READ_STARTS - {"explain"}:
                return
            break
    raise _refuse("EXPLAIN must explain a SELECT, WITH or VALUES statement", "EXPLAIN 只能用于 SELECT、WITH 或 VALUES 语句")
