"""The SQLite query guard: SQLite's authorizer callback, asked by SQLite itself for every table read and function call.

While the user's statement is prepared, SQLite reports each action it would take
(``sqlite3.Connection.set_authorizer``); the guard allows a SELECT, reading a column of a warehouse
table or view in the main database, a recursive CTE and calling a function of the allowlist, and
denies every other action (ATTACH, PRAGMA, writes, sqlite_master, table-valued functions,
load_extension, writefile …). The first denied action becomes the refusal's message.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from warehouse.query.allowlist import SQLITE_FUNCTIONS
from warehouse.query.refusal import RefusedQuery, refuse

_ACTION_NAMES = {
    getattr(sqlite3, name): name.removeprefix("SQLITE_").replace("_", " ")
    for name in (
        "SQLITE_ATTACH", "SQLITE_DETACH", "SQLITE_PRAGMA", "SQLITE_INSERT", "SQLITE_UPDATE", "SQLITE_DELETE",
        "SQLITE_TRANSACTION", "SQLITE_SAVEPOINT", "SQLITE_ANALYZE", "SQLITE_REINDEX", "SQLITE_ALTER_TABLE",
        "SQLITE_CREATE_TABLE", "SQLITE_CREATE_VIEW", "SQLITE_CREATE_INDEX", "SQLITE_CREATE_TRIGGER",
        "SQLITE_CREATE_VTABLE", "SQLITE_DROP_TABLE", "SQLITE_DROP_VIEW", "SQLITE_DROP_INDEX", "SQLITE_DROP_TRIGGER",
        "SQLITE_DROP_VTABLE",
    )
}


class SqliteGuard:
    """An authorizer for one statement; ``refusal`` holds the first action it denied."""

    def __init__(self, relations: Iterable[str]) -> None:
        self.relations = frozenset(relations)
        self.refusal: RefusedQuery | None = None

    def __call__(self, action: int, first: str | None, second: str | None, database: str | None, _inner: str | None) -> int:
        """SQLITE_OK for an allowed action, SQLITE_DENY (remembering why) for any other."""
        refusal = self._judge(action, first, second, database)
        if refusal is None:
            return sqlite3.SQLITE_OK
        if self.refusal is None:
            self.refusal = refusal
        return sqlite3.SQLITE_DENY

    def _judge(self, action: int, first: str | None, second: str | None, database: str | None) -> RefusedQuery | None:
        if action in (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_RECURSIVE):
            return None
        if action == sqlite3.SQLITE_FUNCTION:
            name = (second or "").lower()
            if name in SQLITE_FUNCTIONS:
                return None
            return refuse(f"the function {second}() is not allowed in a query", f"查询中不允许使用函数 {second}()")
        if action == sqlite3.SQLITE_READ:
            # No database: count(*) over a FROM item (a view, a CTE), which reads no column. Every column read names its database.
            if database is None or (database == "main" and first in self.relations):
                return None
            return refuse(
                f"{first} is not a table or view of the warehouse; a query reads only those",
                f"{first} 不是仓库的表或视图，查询只能读取仓库的表和视图",
            )
        if action == sqlite3.SQLITE_UPDATE and first in ("sqlite_master", "sqlite_schema"):
            # How SQLite reports a table-valued function (pragma_table_info, json_each) being set up.
            return refuse("table-valued functions (pragma_…, json_each …) are not allowed in a query", "查询中不允许使用表值函数（pragma_…、json_each …）")
        what = _ACTION_NAMES.get(action, f"action {action}")
        return refuse(f"{what} is not allowed in a query; the query command only reads", f"查询中不允许 {what}，query 命令只读")
