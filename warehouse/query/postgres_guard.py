"""The PostgreSQL query guard: parse the statement with PostgreSQL's own parser (pglast) and walk its tree.

A statement passes when it is exactly one SELECT (WITH and VALUES included) or an EXPLAIN of one
without ANALYZE, and every node of its tree is of a kind an analyst's read needs: every function
call's name is in the allowlist (however it is quoted or schema-qualified), every relation is a
warehouse table or view or a CTE in scope, every cast is to a plain type; SELECT … INTO, FOR
UPDATE/SHARE, TABLESAMPLE, XML functions, parameters and anything else unknown are refused,
naming what was found. Names inside string literals are text, never calls, so
``query_to_xml('select pg_read_file(…)')`` is refused for query_to_xml itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pglast
from pglast import ast
from pglast.parser import ParseError

from warehouse.query.allowlist import POSTGRES_CAST_TYPES, POSTGRES_EXPLAIN_OPTIONS, POSTGRES_FROM_FUNCTIONS, POSTGRES_FUNCTIONS
from warehouse.query.refusal import RefusedQuery, refuse

_PLAIN_NODES = frozenset(
    {
        "ResTarget", "A_Const", "Integer", "Float", "Boolean", "String", "BitString", "ColumnRef", "A_Star",
        "BoolExpr", "NullTest", "BooleanTest", "CoalesceExpr", "MinMaxExpr", "CaseExpr", "CaseWhen", "SubLink",
        "RangeSubselect", "JoinExpr", "Alias", "SortBy", "WindowDef", "GroupingSet", "WithClause", "A_ArrayExpr",
        "A_Indices", "A_Indirection", "RowExpr", "SQLValueFunction", "CollateClause", "TypeName",
    }
)
"""Node kinds that hold only values, names of columns and structure: allowed as such, their children are walked."""

_CATALOG_SCHEMA = "pg_catalog"


def check_postgres(sql: str, relations: Iterable[str]) -> str:
    """The statement to run (``sql`` without a trailing semicolon) when it passes the guard; RefusedQuery naming what does not.

    ``relations`` are the warehouse's table and view names, the only relations a query may read.
    """
    try:
        statements = pglast.parse_sql(sql)
    except ParseError as error:
        raise refuse(f"PostgreSQL cannot parse the query: {error}", f"无法解析查询：{error}") from None
    if not statements:
        raise refuse("the query is empty", "查询为空")
    if len(statements) > 1:
        raise refuse("one statement at a time; a `;` is followed by another statement", "一次只能执行一条语句")
    raw = statements[0]
    _Walker(frozenset(relations)).statement(raw.stmt)
    return _statement_text(sql, raw)


def _statement_text(sql: str, raw: ast.RawStmt) -> str:
    # pglast gives the statement's place in characters of ``sql``; 0 as length means "to the end".
    start = raw.stmt_location or 0
    return sql[start : start + raw.stmt_len] if raw.stmt_len else sql[start:]


_STATEMENT_WORDS = {"VariableSetStmt": "SET", "VariableShowStmt": "SHOW", "TransactionStmt": "BEGIN/COMMIT", "CopyStmt": "COPY", "DoStmt": "DO"}


def _statement_word(node: ast.Node) -> str:
    """A statement kind as the user wrote it: DeleteStmt → DELETE, CreateTableAsStmt → CREATE TABLE AS."""
    kind = type(node).__name__
    if kind in _STATEMENT_WORDS:
        return _STATEMENT_WORDS[kind]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind.removesuffix("Stmt")).upper()


def _names(items: Iterable[ast.Node] | None) -> list[str]:
    return [item.sval for item in items or () if isinstance(item, ast.String)]


def _shown(names: list[str]) -> str:
    return ".".join(names)


class _Walker:
    """Walks one statement's tree; ``ctes`` are the CTE names visible where it stands."""

    def __init__(self, relations: frozenset[str]) -> None:
        self.relations = relations

    def statement(self, node: ast.Node) -> None:
        if isinstance(node, ast.ExplainStmt):
            self._explain(node)
            return
        if not isinstance(node, ast.SelectStmt):
            word = _statement_word(node)
            raise refuse(
                f"{word} is not a read statement; only SELECT, WITH, VALUES and EXPLAIN SELECT run",
                f"{word} 不是只读查询，只允许 SELECT、WITH、VALUES 和 EXPLAIN SELECT",
            )
        self._select(node, frozenset())

    def _explain(self, node: ast.ExplainStmt) -> None:
        for option in node.options or ():
            name = option.defname.lower()
            if name not in POSTGRES_EXPLAIN_OPTIONS:
                raise refuse(
                    f"EXPLAIN {name.upper()} is not allowed (ANALYZE runs the statement); EXPLAIN alone shows the plan",
                    f"不允许 EXPLAIN {name.upper()}（ANALYZE 会执行语句），只能用 EXPLAIN 查看计划",
                )
        if not isinstance(node.query, ast.SelectStmt):
            raise refuse("EXPLAIN must explain a SELECT, WITH or VALUES statement", "EXPLAIN 只能用于 SELECT、WITH 或 VALUES 语句")
        self._select(node.query, frozenset())

    def _select(self, node: ast.SelectStmt, ctes: frozenset[str]) -> None:
        if node.intoClause is not None:
            raise refuse("SELECT … INTO writes a table; the query command only reads", "SELECT … INTO 会写入表，query 命令只读")
        if node.lockingClause:
            raise refuse("FOR UPDATE or FOR SHARE takes row locks; the query command only reads", "FOR UPDATE 或 FOR SHARE 会加行锁，query 命令只读")
        if node.withClause is not None:
            ctes = self._with(node.withClause, ctes)
        for name in node.__slots__:
            if name != "withClause":
                self._walk(getattr(node, name), ctes)

    def _with(self, clause: ast.WithClause, ctes: frozenset[str]) -> frozenset[str]:
        """The CTE names visible in the statement's body; each CTE is walked seeing the earlier ones (all of them when RECURSIVE)."""
        names = [cte.ctename for cte in clause.ctes]
        visible = ctes | set(names) if clause.recursive else ctes
        for cte in clause.ctes:
            if not isinstance(cte.ctequery, ast.SelectStmt):
                word = _statement_word(cte.ctequery)
                raise refuse(f"{word} in a WITH clause writes; the query command only reads", f"WITH 子句中的 {word} 会写入数据，query 命令只读")
            self._select(cte.ctequery, visible)
            if not clause.recursive:
                visible = visible | {cte.ctename}
        return ctes | set(names)

    def _walk(self, value: object, ctes: frozenset[str]) -> None:
        if isinstance(value, (list, tuple)):
            for item in value:
                self._walk(item, ctes)
            return
        if not isinstance(value, ast.Node):
            return
        kind = type(value).__name__
        if isinstance(value, ast.SelectStmt):
            self._select(value, ctes)
            return
        handler = getattr(self, f"_node_{kind}", None)
        if handler is not None:
            handler(value, ctes)
            return
        if kind not in _PLAIN_NODES:
            raise refuse(f"{_construct(kind)} is not allowed in a query", f"查询中不允许使用 {_construct(kind)}")
        self._children(value, ctes)

    def _children(self, node: ast.Node, ctes: frozenset[str], skip: tuple[str, ...] = ()) -> None:
        for name in node.__slots__:
            if name not in skip:
                self._walk(getattr(node, name), ctes)

    def _node_FuncCall(self, node: ast.FuncCall, ctes: frozenset[str]) -> None:  # noqa: N802 (named after the node kind)
        _check_function(_names(node.funcname), POSTGRES_FUNCTIONS)
        self._children(node, ctes, skip=("funcname",))

    def _node_RangeFunction(self, node: ast.RangeFunction, ctes: frozenset[str]) -> None:  # noqa: N802
        if node.is_rowsfrom:
            raise refuse("ROWS FROM (…) is not allowed in a query", "查询中不允许使用 ROWS FROM (…)")
        for item in node.functions or ():
            for call in item:
                if isinstance(call, ast.FuncCall):
                    _check_function(_names(call.funcname), POSTGRES_FROM_FUNCTIONS)
                    self._children(call, ctes, skip=("funcname",))
                elif call is not None:
                    self._walk(call, ctes)
        self._walk(node.alias, ctes)
        self._walk(node.coldeflist, ctes)

    def _node_RangeVar(self, node: ast.RangeVar, ctes: frozenset[str]) -> None:  # noqa: N802
        names = [n for n in (node.catalogname, node.schemaname, node.relname) if n]
        if len(names) == 1 and node.relname in ctes:
            return
        if len(names) > 1:
            raise refuse(
                f"write the table name without a schema: {_shown(names)} (only the warehouse's tables and views can be read)",
                f"请不带模式名书写表名：{_shown(names)}（只能读取仓库的表和视图）",
            )
        if node.relname not in self.relations:
            raise refuse(
                f"{node.relname} is not a table or view of the warehouse; a query reads only those",
                f"{node.relname} 不是仓库的表或视图，查询只能读取仓库的表和视图",
            )
        self._walk(node.alias, ctes)

    def _node_TypeCast(self, node: ast.TypeCast, ctes: frozenset[str]) -> None:  # noqa: N802
        names = _names(node.typeName.names)
        schema, name = (names[0] if len(names) > 1 else None), names[-1]
        if len(names) > 2 or schema not in (None, _CATALOG_SCHEMA) or name not in POSTGRES_CAST_TYPES:
            raise refuse(f"a cast to {_shown(names)} is not allowed in a query", f"查询中不允许转换为 {_shown(names)} 类型")
        self._walk(node.arg, ctes)
        self._walk(node.typeName.typmods, ctes)

    def _node_A_Expr(self, node: ast.A_Expr, ctes: frozenset[str]) -> None:  # noqa: N802
        names = _names(node.name)
        if len(names) > 1 and (len(names) > 2 or names[0] != _CATALOG_SCHEMA):
            raise refuse(f"the operator OPERATOR({_shown(names)}) is not allowed in a query", f"查询中不允许使用运算符 OPERATOR({_shown(names)})")
        self._children(node, ctes, skip=("name",))


def _check_function(names: list[str], allowed: frozenset[str]) -> None:
    schema, name = (names[0] if len(names) > 1 else None), names[-1] if names else ""
    if len(names) > 2 or schema not in (None, _CATALOG_SCHEMA) or name not in allowed:
        raise refuse(f"the function {_shown(names)}() is not allowed in a query", f"查询中不允许使用函数 {_shown(names)}()")


def _construct(kind: str) -> str:
    """A node kind as the user wrote it, roughly: LockingClause → 'locking clause', XmlExpr → 'XML expression'."""
    names = {
        "RangeTableSample": "TABLESAMPLE",
        "RangeTableFunc": "XMLTABLE",
        "XmlExpr": "an XML function",
        "XmlSerialize": "XMLSERIALIZE",
        "ParamRef": "a $n parameter",
        "SetToDefault": "DEFAULT",
        "LockingClause": "FOR UPDATE or FOR SHARE",
        "IntoClause": "SELECT … INTO",
    }
    return names.get(kind, kind)


__all__ = ["RefusedQuery", "check_postgres"]
