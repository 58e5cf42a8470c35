"""What an analyst's query may call: the functions and cast types of each dialect's allowlist.

Everything not named here is refused by the query guard, whatever its quoting or nesting: the
lists hold only functions that compute a value from their arguments (aggregates, arithmetic,
text, date/time, JSON building, window functions). Nothing that reads files, settings or other
sessions, sleeps, takes locks, changes state or builds and runs SQL of its own (query_to_xml,
dblink, set_config, pg_sleep, pg_advisory_*, lo_*, load_extension, writefile …).
"""

from __future__ import annotations

_AGGREGATES = {
    "count", "sum", "avg", "min", "max", "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp",
    "string_agg", "array_agg", "bool_and", "bool_or", "every", "percentile_cont", "percentile_disc", "mode",
    "corr", "covar_pop", "covar_samp", "regr_avgx", "regr_avgy", "regr_count", "regr_intercept", "regr_r2",
    "regr_slope", "regr_sxx", "regr_sxy", "regr_syy", "json_agg", "jsonb_agg", "json_object_agg", "jsonb_object_agg",
}
_WINDOW = {"row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value", "last_value", "nth_value"}
_MATH = {
    "abs", "ceil", "ceiling", "floor", "round", "trunc", "sqrt", "cbrt", "power", "pow", "exp", "ln", "log", "log10",
    "mod", "sign", "div", "width_bucket", "pi", "degrees", "radians", "sin", "cos", "tan", "asin", "acos", "atan", "atan2",
    "gcd", "lcm", "scale", "trim_scale", "min_scale", "factorial",
}
_TEXT = {
    "lower", "upper", "initcap", "length", "char_length", "character_length", "octet_length", "bit_length",
    "substr", "substring", "left", "right", "lpad", "rpad", "ltrim", "rtrim", "btrim", "trim", "replace",
    "split_part", "strpos", "position", "concat", "concat_ws", "format", "reverse", "repeat", "translate",
    "regexp_replace", "regexp_match", "regexp_matches", "regexp_split_to_array", "regexp_count", "regexp_instr",
    "regexp_like", "regexp_substr", "starts_with", "md5", "to_hex", "ascii", "chr", "overlay", "normalize",
    "string_to_array", "array_to_string", "like_escape", "similar_to_escape",
}
_TIME = {
    "now", "date_trunc", "date_part", "extract", "age", "make_date", "make_time", "make_timestamp", "make_timestamptz",
    "make_interval", "to_char", "to_date", "to_timestamp", "to_number", "justify_days", "justify_hours",
    "justify_interval", "isfinite", "timezone", "date_bin", "overlaps",
}
_STRUCTURE = {
    "array_length", "array_lower", "array_upper", "array_position", "array_positions", "array_remove", "array_append",
    "array_prepend", "array_cat", "cardinality", "unnest", "generate_series", "to_json", "to_jsonb", "row_to_json",
    "json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array", "json_array_length",
    "jsonb_array_length", "json_extract_path_text", "jsonb_extract_path_text", "jsonb_pretty", "json_typeof", "jsonb_typeof",
    "num_nonnulls", "num_nulls",
}

POSTGRES_FUNCTIONS = frozenset(_AGGREGATES | _WINDOW | _MATH | _TEXT | _TIME | _STRUCTURE)
"""PostgreSQL functions a query may call, unqualified or as pg_catalog.name (the parser writes EXTRACT, SUBSTRING … so)."""

POSTGRES_FROM_FUNCTIONS = frozenset({"generate_series", "unnest"})
"""Set-returning functions a query may use in FROM."""

POSTGRES_CAST_TYPES = frozenset(
    {
        "int2", "int4", "int8", "smallint", "integer", "int", "bigint", "numeric", "decimal", "float4", "float8", "real",
        "text", "varchar", "bpchar", "char", "date", "time", "timetz", "timestamp", "timestamptz", "interval",
        "bool", "boolean", "json", "jsonb",
    }
)
"""Types a query may cast to (`::int`, CAST(… AS date), DATE '2020-01-01'); no reg* lookups, no xml."""

POSTGRES_EXPLAIN_OPTIONS = frozenset({"verbose", "costs", "settings", "summary", "format", "generic_plan"})
"""EXPLAIN options that only describe the plan; ANALYZE (which runs the statement), BUFFERS, TIMING … need it and are refused."""

SQLITE_FUNCTIONS = frozenset(
    {
        # aggregates and window functions
        "count", "sum", "total", "avg", "min", "max", "group_concat", "string_agg", "row_number", "rank", "dense_rank",
        "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value", "last_value", "nth_value", "median",
        # values, arithmetic and text
        "abs", "round", "coalesce", "ifnull", "iif", "if", "nullif", "typeof", "lower", "upper", "length", "octet_length",
        "substr", "substring", "trim", "ltrim", "rtrim", "replace", "instr", "printf", "format", "like", "glob", "hex",
        "unhex", "char", "unicode", "concat", "concat_ws", "sign", "likely", "unlikely", "likelihood",
        "ceil", "ceiling", "floor", "trunc", "sqrt", "pow", "power", "exp", "ln", "log", "log10", "log2", "mod", "pi",
        "degrees", "radians", "sin", "cos", "tan", "asin", "acos", "atan", "atan2",
        # date and time
        "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff",
        # JSON building and reading
        "json", "json_array", "json_object", "json_extract", "json_array_length", "json_type", "json_valid",
        "json_quote", "json_group_array", "json_group_object",
    }
)
"""SQLite functions a query may call (the authorizer sees every call by name); no load_extension, readfile, writefile, zeroblob, randomblob."""
