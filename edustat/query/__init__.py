"""`edustat query`: one read statement, checked up front and run on a connection that cannot write."""

from edustat.query.check import RefusedQuery, check_statement
from edustat.query.execute import DEFAULT_ROW_LIMIT, QUERY_ROLE_ENV, QueryError, QueryResult, execute_read_only, run_query

__all__ = [
    "DEFAULT_ROW_LIMIT",
    "QUERY_ROLE_ENV",
    "QueryError",
    "QueryResult",
    "RefusedQuery",
    "check_statement",
    "execute_read_only",
    "run_query",
]
