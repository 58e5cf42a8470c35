"""Cell values as clerks write them → typed contract values, as Polars expressions (no per-cell Python).

A column is converted in a few successive ``with_columns`` passes over the raw String column; after
the last pass the frame holds the typed value under the contract name and, under ``__fail_<name>``,
the rule code of the conversion failure (null where the cell is empty or fine). Materialising the
cleaned text once per pass is several times faster than one deep expression that re-evaluates it.
Empty cells are the caller's business (missing_value).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import polars as pl

from config.models import Rules
from schemas.tables import ColumnSpec

NUMBER_PATTERN = r"^[+-]?(?:(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
"""A decimal number, optionally with thousands separators (after full-width → half-width)."""

EXACT_INTEGER_LIMIT = 2.0**53
"""Beyond this a Float64 no longer holds every integer exactly."""

WHOLE_TOLERANCE = 1e-9
"""A number this close (relative) to a whole one is that whole number: Excel formulas leave float noise
such as 300.00000000000006 in cells that show 300."""

OWNERSHIP_ALIASES: dict[str, str] = {"公办": "public", "民办": "private", "public": "public", "private": "private"}
"""举办者类型 spellings of the contract (§2) → staged value."""

YES_NO_ALIASES: dict[str, bool] = {
    **dict.fromkeys(("是", "有", "y", "yes", "1", "1.0", "true", "t", "√", "✓", "✔", "对"), True),
    **dict.fromkeys(("否", "无", "没有", "n", "no", "0", "0.0", "false", "f", "×", "✗", "✘", "x"), False),
}
"""yes/no spellings of the contract (§2), after normalisation (half-width, lower case, no spaces)."""

FAILURE_RULES: dict[str, tuple[str, ...]] = {
    "integer": ("not_a_number", "not_integer"),
    "number": ("not_a_number",),
    "code": ("bad_code",),
    "stage": ("unknown_stage",),
    "ownership": ("unknown_ownership",),
    "yes_no": ("not_yes_no",),
    "text": (),
}
"""The conversion failure rules each column kind can raise."""

Passes = list[list[pl.Expr]]


def squeeze_text(text: str) -> str:
    """The comparison form of a label: half-width, lower case, runs of spaces collapsed, trimmed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().lower()


def as_written(raw: pl.Expr) -> pl.Expr:
    """The cell as the clerk wrote it, trimmed; null when blank."""
    return raw.cast(pl.String).str.strip_chars().replace("", None)


def failure_column(name: str) -> str:
    """Name of the column holding the conversion failure rule of contract column ``name``."""
    return f"__fail_{name}"


def _compact(raw: pl.Expr) -> pl.Expr:
    return raw.cast(pl.String).str.normalize("NFKC").str.replace_all(r"\s+", "").replace("", None)


def _squeezed(raw: pl.Expr) -> pl.Expr:
    text = raw.cast(pl.String).str.normalize("NFKC").str.replace_all(r"\s+", " ").str.strip_chars()
    return text.str.to_lowercase().replace("", None)


def _fails(rule: str, when: pl.Expr) -> pl.Expr:
    return pl.when(when).then(pl.lit(rule, dtype=pl.String))


def _number_passes(raw: pl.Expr, name: str, *, integer: bool) -> Passes:
    text, number = pl.col(f"__txt_{name}"), pl.col(f"__num_{name}")
    first = [_compact(raw).alias(f"__txt_{name}")]
    second = [
        pl.when(text.str.contains(NUMBER_PATTERN))
        .then(text.str.replace_all(",", "", literal=True).cast(pl.Float64, strict=False))
        .alias(f"__num_{name}")
    ]
    not_number = text.is_not_null() & number.is_null()
    if not integer:
        return [first, second, [number.alias(name), _fails("not_a_number", not_number).alias(failure_column(name))]]
    nearest = number.round(0)
    is_whole = ((number - nearest).abs() <= WHOLE_TOLERANCE * pl.max_horizontal(number.abs(), pl.lit(1.0))) & (
        number.abs() < EXACT_INTEGER_LIMIT
    )
    third = [
        pl.when(is_whole).then(nearest.cast(pl.Int64, strict=False)).alias(name),
        pl.when(not_number).then(pl.lit("not_a_number"))
        .when(number.is_not_null() & ~is_whole).then(pl.lit("not_integer"))
        .alias(failure_column(name)),
    ]
    return [first, second, third]


def _code_passes(raw: pl.Expr, name: str, digits: int | None) -> Passes:
    text = pl.col(f"__txt_{name}")
    pattern = rf"^[0-9]{{{digits}}}$" if digits else r"^[0-9]+$"
    # A code Excel stored as a number may come back as "2162000001.0"; a leading ' forces text in Excel.
    first = [_compact(raw).str.strip_chars_start("'`").str.replace(r"^([0-9]+)\.0+$", "${1}").alias(f"__txt_{name}")]
    is_valid = text.str.contains(pattern)
    second = [
        pl.when(is_valid).then(text).alias(name),
        _fails("bad_code", text.is_not_null() & ~is_valid).alias(failure_column(name)),
    ]
    return [first, second]


def _lookup_passes(raw: pl.Expr, name: str, mapping: Mapping, dtype: pl.DataType, rule: str, *, compact: bool) -> Passes:
    text = pl.col(f"__txt_{name}")
    first = [(_compact(raw).str.to_lowercase() if compact else _squeezed(raw)).alias(f"__txt_{name}")]
    second = [text.replace_strict(dict(mapping), default=None, return_dtype=dtype).alias(name)]
    third = [_fails(rule, text.is_not_null() & pl.col(name).is_null()).alias(failure_column(name))]
    return [first, second, third]


def stage_aliases(rules: Rules) -> dict[str, str]:
    """Every accepted spelling of a stage (comparison form) → its English code."""
    mapping: dict[str, str] = {}
    for code, info in rules.stages.items():
        for spelling in (code, info.name_zh, info.name_en, *info.aliases):
            mapping[squeeze_text(spelling)] = code
    return mapping


def conversion_passes(raw: pl.Expr, column: ColumnSpec, rules: Rules) -> Passes:
    """The ``with_columns`` passes that turn the raw String ``raw`` into ``column.name`` (typed) and its failure rule."""
    name = column.name
    match column.kind:
        case "integer":
            return _number_passes(raw, name, integer=True)
        case "number":
            return _number_passes(raw, name, integer=False)
        case "code":
            return _code_passes(raw, name, column.digits)
        case "stage":
            return _lookup_passes(raw, name, stage_aliases(rules), pl.String(), "unknown_stage", compact=False)
        case "ownership":
            return _lookup_passes(raw, name, OWNERSHIP_ALIASES, pl.String(), "unknown_ownership", compact=True)
        case "yes_no":
            return _lookup_passes(raw, name, YES_NO_ALIASES, pl.Boolean(), "not_yes_no", compact=True)
        case "text":
            return [[as_written(raw).alias(name), pl.lit(None, dtype=pl.String).alias(failure_column(name))]]
    raise ValueError(f"unknown column kind {column.kind}")


def _fast_value(raw: pl.Expr, column: ColumnSpec, rules: Rules) -> pl.Expr:
    """The typed value of a cell that needs no cleaning (plain ASCII number, exact code or label), else null.

    Wherever it is not null it equals what the full passes give, so rows whose every cell passes
    can skip those passes: the full ones then run only on the few rows a clerk typed by hand.
    """
    match column.kind:
        case "integer" | "number":
            number = raw.cast(pl.Float64, strict=False)
            # The cast also reads inf and nan, which the number pattern refuses: those take the full passes.
            number = pl.when(number.is_finite()).then(number)
            if column.kind == "number":
                return number
            nearest = number.round(0)
            is_whole = ((number - nearest).abs() <= WHOLE_TOLERANCE * pl.max_horizontal(number.abs(), pl.lit(1.0))) & (
                number.abs() < EXACT_INTEGER_LIMIT
            )
            return pl.when(is_whole).then(nearest.cast(pl.Int64, strict=False))
        case "code":
            pattern = rf"^[0-9]{{{column.digits}}}$" if column.digits else r"^[0-9]+$"
            return pl.when(raw.str.contains(pattern)).then(raw)
        case "stage":
            return raw.replace_strict(stage_aliases(rules), default=None, return_dtype=pl.String())
        case "ownership":
            # Lower case only: a label that then matches has no spaces or wide forms for the full passes to remove.
            return raw.str.to_lowercase().replace_strict(OWNERSHIP_ALIASES, default=None, return_dtype=pl.String())
        case "yes_no":
            return raw.str.to_lowercase().replace_strict(YES_NO_ALIASES, default=None, return_dtype=pl.Boolean())
        case "text":
            return as_written(raw)
    raise ValueError(f"unknown column kind {column.kind}")


def _convert_all_passes(frame: pl.DataFrame, sources: Mapping[str, ColumnSpec], rules: Rules) -> pl.DataFrame:
    plans = [conversion_passes(pl.col(source), column, rules) for source, column in sources.items()]
    for step in range(max((len(plan) for plan in plans), default=0)):
        expressions = [expr for plan in plans if step < len(plan) for expr in plan[step]]
        frame = frame.with_columns(expressions)
    scratch = [c for c in frame.columns if c.startswith(("__txt_", "__num_"))]
    return frame.drop(scratch)


_layouts: dict[tuple, list[str]] = {}


def _output_columns(columns: tuple[str, ...], sources: tuple[tuple[str, ColumnSpec], ...], rules: Rules) -> list[str]:
    """The columns convert_columns returns, in order (found once per input layout by converting no rows)."""
    key = (columns, sources)
    if key not in _layouts:
        empty = pl.DataFrame(schema=dict.fromkeys(columns, pl.String))
        _layouts[key] = _convert_all_passes(empty, dict(sources), rules).columns
    return _layouts[key]


def convert_columns(frame: pl.DataFrame, sources: Mapping[str, ColumnSpec], rules: Rules) -> pl.DataFrame:
    """``frame`` plus, for each (raw column → ColumnSpec) of ``sources``, the typed column and its ``__fail_`` column.

    Grain unchanged: one output row per input row, in input order. Rows whose cells are all plain
    take one cheap pass; the others (text with separators, full-width digits, codes stored as
    numbers, unknown labels, failures) go through the full passes, column by column side by side.
    """
    layout = _output_columns(tuple(frame.columns), tuple(sources.items()), rules)
    overwrites_source = any(column.name in sources for column in sources.values())
    if frame.height == 0 or not sources or overwrites_source:
        return _convert_all_passes(frame, sources, rules)
    typed = [_fast_value(pl.col(source), column, rules).alias(column.name) for source, column in sources.items()]
    unplain = [
        pl.col(source).is_not_null() & pl.col(column.name).is_null()
        for source, column in sources.items()
        if column.kind != "text"
    ]
    fast = frame.with_columns(typed).with_columns(pl.any_horizontal(unplain or [pl.lit(False)]).alias("__unplain"))
    failures = [pl.lit(None, dtype=pl.String).alias(failure_column(column.name)) for column in sources.values()]
    is_unplain = fast.get_column("__unplain")
    if not is_unplain.any():
        return fast.with_columns(failures).select(layout)
    order = pl.int_range(pl.len(), dtype=pl.UInt32).alias("__order")
    slow = _convert_all_passes(frame.with_columns(order).filter(is_unplain), sources, rules)
    plain = fast.with_columns(order).filter(~pl.col("__unplain")).with_columns(failures)
    return pl.concat([plain.select(slow.columns), slow], how="vertical").sort("__order").select(layout)
