"""`edustat query`: one read statement, checked by a parsing guard and run on a connection that cannot write, within a time limit."""

from warehouse.query.check import check_statement
from warehouse.query.execute import (
    DEFAULT_ROW_LIMIT,
    DEFAULT_TIMEOUT_S,
    QueryError,
    QueryLimits,
    QueryResult,
    QueryTimeout,
    execute_read_only,
    run_query,
)
from warehouse.query.refusal import RefusedQuery

__all__ = [
    "DEFAULT_ROW_LIMIT",
    "DEFAULT_TIMEOUT_S",
    "QueryError",
    "QueryLimits",
    "QueryResult",
    "QueryTimeout",
    "RefusedQuery",
    "check_statement",
    "execute_read_only",
    "run_query",
]
