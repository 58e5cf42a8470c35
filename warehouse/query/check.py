"""The up-front check of `edustat query`: one read statement the guard allows, or a clear refusal.

PostgreSQL: the statement is parsed by PostgreSQL's own parser and its whole tree checked
(postgres_guard.py) before anything is sent. SQLite: this check makes sure it is one statement
that begins like a read; SQLite's authorizer (sqlite_guard.py) then judges every table read and
function call while SQLite prepares it, on the read-only connection (execute.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from warehouse.query.refusal import RefusedQuery, refuse
from warehouse.schema import QUERYABLE_RELATIONS

READ_STARTS = frozenset({"select", "with", "values", "explain"})
"""The words a statement may begin with."""

DIALECTS = ("sqlite", "postgresql")

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")


@dataclass(frozen=True)
class Token:
    """One word, symbol or semicolon of a SQLite statement outside literals and comments; ``start`` is its offset."""

    kind: str
    text: str
    start: int


def _end_of_quoted(sql: str, start: int, quote: str) -> int:
    """Offset just past the literal opened by ``quote`` at ``start`` (a doubled quote escapes it)."""
    position = start + 1
    while position < len(sql):
        if sql[position] == quote:
            if position + 1 < len(sql) and sql[position + 1] == quote:
                position += 2
                continue
            return position + 1
        position += 1
    raise refuse("a quoted string or name is not closed", "引号未闭合")


def sqlite_tokens(sql: str) -> Iterator[Token]:
    """The words, symbols and semicolons of ``sql`` in order, skipping SQLite's literals, quoted names and comments."""
    position = 0
    while position < len(sql):
        char = sql[position]
        if char.isspace():
            position += 1
        elif sql.startswith("--", position):
            newline = sql.find("\n", position)
            position = len(sql) if newline < 0 else newline + 1
        elif sql.startswith("/*", position):
            end = sql.find("*/", position + 2)
            if end < 0:
                raise refuse("a /* comment */ is not closed", "注释未闭合")
            position = end + 2
        elif char in "'\"`[":
            position = _end_of_quoted(sql, position, "]" if char == "[" else char)
        elif word := _WORD.match(sql, position):
            yield Token("word", word.group().lower(), position)
            position = word.end()
        else:
            yield Token("semicolon" if char == ";" else "symbol", char, position)
            position += 1


def _check_sqlite(sql: str) -> str:
    found = list(sqlite_tokens(sql))
    semicolons = [i for i, token in enumerate(found) if token.kind == "semicolon"]
    if semicolons:
        if any(token.kind != "semicolon" for token in found[semicolons[0] :]):
            raise refuse("one statement at a time; a `;` is followed by another statement", "一次只能执行一条语句")
        sql = sql[: found[semicolons[0]].start]
        found = found[: semicolons[0]]
    first = next((t for t in found if t.text != "("), None)
    if first is None:
        raise refuse("the query is empty", "查询为空")
    if first.kind != "word" or first.text not in READ_STARTS:
        raise refuse(
            f"{first.text.upper()} is not a read statement; only SELECT, WITH, VALUES and EXPLAIN SELECT run",
            f"{first.text.upper()} 不是只读查询，只允许 SELECT、WITH、VALUES 和 EXPLAIN SELECT",
        )
    return sql


def check_statement(sql: str, dialect: str) -> str:
    """The statement to run: ``sql`` without a trailing semicolon, when it is one read statement the guard allows; else RefusedQuery."""
    if dialect == "postgresql":
        # pglast (PostgreSQL's parser) is imported here, not at the top: it costs a SQLite query a tenth of its start.
        from warehouse.query.postgres_guard import check_postgres

        return check_postgres(sql, QUERYABLE_RELATIONS)
    if dialect == "sqlite":
        return _check_sqlite(sql)
    raise ValueError(f"unknown dialect {dialect!r}; expected one of {DIALECTS}")


__all__ = ["DIALECTS", "RefusedQuery", "check_statement", "sqlite_tokens"]
