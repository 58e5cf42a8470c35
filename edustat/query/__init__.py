"""`edustat query`: one read statement, checked by a parsing guard and run on a connection that cannot write, within a time limit."""

from edustat.query.check import check_statement
from edustat.query.execute import (
    DEFAULT_ROW_LIMIT,
    DEFAULT_TIMEOUT_S,
    QueryError,
    QueryLimits,
    QueryResult,
    QueryTimeout,
    execute_read_only,
    run_query,
)
from edustat.query.refusal import RefusedQuery

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
