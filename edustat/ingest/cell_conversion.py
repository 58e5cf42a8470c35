"""Cell values as clerks write them → typed contract values, as Polars expressions (no per-cell Python).

A column is converted in a few successive ``with_columns`` passes over the raw String column; after
the last pass the frame holds the typed value under the contract name and, under ``__fail_<name>``,
the rule code of the conversion failure (null where the cell is empty or fine). Materialising the
cleaned text once per pass is several times faster than one deep expression that re-evaluates it.
Empty cells are the caller's business (missing_value).

convert_columns runs those full passes only on the cells that need them: cheap passes read every
plain cell (ASCII digits, exact codes and labels) directly, and the few others of one kind are
gathered, converted together and put back in their places.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

import polars as pl

from config import Rules
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

Sources = tuple[tuple[str, ColumnSpec], ...]
"""(raw column, ColumnSpec) pairs in order, hashable: the key of the expressions built for them."""

Written = tuple[tuple[str, str], ...]
"""(raw column, name of its as-written copy) pairs in order, hashable."""

StageKey = tuple[tuple[str, str], ...]
"""stage_aliases of the rules as (spelling, code) pairs, hashable."""


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
    return dict(_stage_aliases(tuple(rules.stages.items())))


@lru_cache(maxsize=8)
def _stage_aliases(stages: tuple) -> StageKey:
    """stage_aliases of (code, StageInfo) pairs, as pairs (normalised once per stage list: asked for every batch and table)."""
    mapping: dict[str, str] = {}
    for code, info in stages:
        for spelling in (code, info.name_zh, info.name_en, *info.aliases):
            mapping[squeeze_text(spelling)] = code
    return tuple(mapping.items())


def conversion_passes(raw: pl.Expr, column: ColumnSpec, rules: Rules) -> Passes:
    """The ``with_columns`` passes that turn the raw String ``raw`` into ``column.name`` (typed) and its failure rule."""
    return _passes(raw, column, stage_aliases(rules))


def _passes(raw: pl.Expr, column: ColumnSpec, stages: Mapping[str, str]) -> Passes:
    """conversion_passes, with the rules' stage spellings given (``stages`` is stage_aliases of the rules)."""
    name = column.name
    match column.kind:
        case "integer":
            return _number_passes(raw, name, integer=True)
        case "number":
            return _number_passes(raw, name, integer=False)
        case "code":
            return _code_passes(raw, name, column.digits)
        case "stage":
            return _lookup_passes(raw, name, stages, pl.String(), "unknown_stage", compact=False)
        case "ownership":
            return _lookup_passes(raw, name, OWNERSHIP_ALIASES, pl.String(), "unknown_ownership", compact=True)
        case "yes_no":
            return _lookup_passes(raw, name, YES_NO_ALIASES, pl.Boolean(), "not_yes_no", compact=True)
        case "text":
            return [[as_written(raw).alias(name), pl.lit(None, dtype=pl.String).alias(failure_column(name))]]
    raise ValueError(f"unknown column kind {column.kind}")


PLAIN_INTEGER_BYTES = 15
"""Plain digits this long at most (a sign included) stay below 2**53, where a Float64 still holds every integer."""


def _plain_integer(raw: pl.Expr) -> pl.Expr:
    """The value of an integer cell written as plain ASCII digits (a sign allowed) and short enough, else null."""
    # Such a value is what the full passes give (a Float64 holds it exactly); other whole numbers
    # ("12.0", "1e3", Excel's 300.00000000000006, 16 digits and more) take those passes.
    return pl.when(raw.str.len_bytes() <= PLAIN_INTEGER_BYTES).then(raw.cast(pl.Int64, strict=False))


def _plain_number(number: pl.Expr) -> pl.Expr:
    """The value of a number cell already read as a Float64 (null where unreadable) where it is finite, else null."""
    # The cast also reads inf and nan, which the number pattern refuses: those take the full passes.
    return pl.when(number.is_finite()).then(number)


def _fast_value(raw: pl.Expr, column: ColumnSpec, stages: Mapping[str, str]) -> pl.Expr:
    """The typed value of a cell that needs no cleaning (plain ASCII number, exact code or label), else null.

    Wherever it is not null it equals what the full passes give, so only the cells it leaves null
    need those passes: they then run on the few cells a clerk typed by hand. ``stages`` is
    stage_aliases of the rules.
    """
    match column.kind:
        case "integer":
            return _plain_integer(raw)
        case "number":
            return _plain_number(raw.cast(pl.Float64, strict=False))
        case "code":
            pattern = rf"^[0-9]{{{column.digits}}}$" if column.digits else r"^[0-9]+$"
            return pl.when(raw.str.contains(pattern)).then(raw)
        case "stage":
            return raw.replace_strict(stages, default=None, return_dtype=pl.String())
        case "ownership":
            return raw.replace_strict(_as_typed(OWNERSHIP_ALIASES), default=None, return_dtype=pl.String())
        case "yes_no":
            return raw.replace_strict(_as_typed(YES_NO_ALIASES), default=None, return_dtype=pl.Boolean())
        case "text":
            return as_written(raw)
    raise ValueError(f"unknown column kind {column.kind}")


def _as_typed(aliases: Mapping[str, object]) -> dict[str, object]:
    """The spellings of ``aliases`` as a clerk types them, in lower, upper or title case, each with its value."""
    # A cell equal to one of these has no spaces or wide forms for the full passes to remove, and its lower case is
    # the alias: both give the same. Matching exact spellings spares a lower-casing pass over every cell.
    spellings = ((alias, value, cased) for alias, value in aliases.items() for cased in (alias, alias.upper(), alias.title()))
    return {cased: value for alias, value, cased in spellings if cased.lower() == alias}


def _convert_all_passes(
    frame: pl.DataFrame, sources: Mapping[str, ColumnSpec], rules: Rules, written: Mapping[str, str] | None = None
) -> pl.DataFrame:
    stages = stage_aliases(rules)
    frame = _run_passes(frame, _side_by_side([_passes(pl.col(source), column, stages) for source, column in sources.items()]))
    if written:
        frame = frame.with_columns(as_written(pl.col(source)).alias(name) for source, name in written.items())
    return frame.drop([c for c in frame.columns if c.startswith(("__txt_", "__num_"))])


def _side_by_side(plans: list[Passes]) -> Passes:
    """Several columns' passes merged step by step, so that each step is one ``with_columns`` over all columns."""
    steps = max(map(len, plans), default=0)
    return [[expr for plan in plans if step < len(plan) for expr in plan[step]] for step in range(steps)]


def _run_passes(frame: pl.DataFrame, passes: Passes) -> pl.DataFrame:
    """``frame`` after each pass in turn (scratch columns ``__txt_``/``__num_`` included)."""
    for expressions in passes:
        frame = frame.with_columns(expressions)
    return frame


WORDLESS_KINDS = ("integer", "number", "code")
"""Kinds whose plain cells (those the cheap passes convert) hold only ASCII digits, signs, dots and exponents: no word
such as a total label. A plain cell of any kind but text is also never empty and has nothing to trim."""

ROW = "__row"
"""Scratch column of the cheap passes: the row's position, from which the positions of unplain cells are taken."""


def _unplain(name: str) -> str:
    """Scratch column of the cheap passes: True where contract column ``name``'s cell holds something they left null."""
    return f"__unplain_{name}"


@lru_cache(maxsize=64)
def _fast_passes(sources: Sources, stages: StageKey, written: Written) -> Passes:
    """The passes giving every typed column from plain cells (null elsewhere), the as-written copies (a plain cell is
    its own) and the unplain flags; built once per layout. No failure comes from them."""
    # A number cell is read once, in a pass of its own: the finite check reads it twice.
    floats = {source: f"__num_{column.name}" for source, column in sources if column.kind == "number"}
    values = [
        (_plain_number(pl.col(floats[source])) if source in floats else _fast_value(pl.col(source), column, dict(stages)))
        .alias(column.name)
        for source, column in sources
    ]
    flags = [
        (pl.col(source).is_not_null() & pl.col(column.name).is_null()).alias(_unplain(column.name))
        for source, column in sources
        if column.kind != "text"  # text's cheap pass is the full one
    ]
    specs = dict(sources)
    copies = [_written_copy(source, specs.get(source), stages).alias(name) for source, name in written]
    reads = [pl.col(source).cast(pl.Float64, strict=False).alias(scratch) for source, scratch in floats.items()]
    steps = [reads, [*values, pl.int_range(pl.len(), dtype=pl.get_index_type()).alias(ROW)], [*flags, *copies]]
    return [step for step in steps if step]


def _written_copy(source: str, column: ColumnSpec | None, stages: StageKey) -> pl.Expr:
    """The as-written copy of raw column ``source`` once the cheap values are in (unplain cells are set later).

    A text value is that copy already. A plain cell of another kind is its own: plain numbers, codes
    and labels are never empty and have nothing to trim (stage spellings of the rules are trimmed, so
    only an empty one would break this).
    """
    if column is None or (column.kind == "stage" and not all(spelling for spelling, _ in stages)):
        return as_written(pl.col(source))
    return pl.col(column.name) if column.kind == "text" else pl.col(source)


CELL = "__cell"
"""The one column of the frame in which the cells of one kind that need the full passes are converted together."""


@lru_cache(maxsize=64)
def _cell_passes(kind: str, digits: int | None, stages: StageKey) -> Passes:
    """The full passes over column CELL for cells of ``kind`` (and ``digits``), giving ``value``, its failure and the cell
    as written (built once)."""
    first, *rest = _passes(pl.col(CELL), ColumnSpec("value", "", kind, digits=digits), dict(stages))
    return [[*first, as_written(pl.col(CELL)).alias("written")], *rest]


_layouts: dict[tuple, list[str]] = {}


def _output_columns(columns: tuple[str, ...], sources: Sources, written: Written, rules: Rules) -> list[str]:
    """The columns convert_columns returns, in order (found once per input layout by converting no rows)."""
    key = (columns, sources, written)
    if key not in _layouts:
        empty = pl.DataFrame(schema=dict.fromkeys(columns, pl.String))
        _layouts[key] = _convert_all_passes(empty, dict(sources), rules, dict(written)).columns
    return _layouts[key]


def convert_columns(
    frame: pl.DataFrame, sources: Mapping[str, ColumnSpec], rules: Rules, written: Mapping[str, str] | None = None
) -> pl.DataFrame:
    """``frame`` plus, for each (raw column → ColumnSpec) of ``sources``, the typed column and its ``__fail_`` column,
    and for each (raw column → name) of ``written``, the cell as written (as_written) under that name.

    Grain unchanged: one output row per input row, in input order. Plain cells take the cheap
    passes; the others (text with separators, full-width digits, codes stored as numbers, unknown
    labels, failures) go through the full passes, all cells of one kind together, and their values
    are written over the cheap ones in place.
    """
    written = dict(written or {})
    layout = _output_columns(tuple(frame.columns), tuple(sources.items()), tuple(written.items()), rules)
    overwrites_source = any(column.name in sources for column in sources.values())
    if frame.height == 0 or not sources or overwrites_source:
        return _convert_all_passes(frame, sources, rules, written)
    stages = tuple(stage_aliases(rules).items())
    fast = _run_passes(frame, _fast_passes(tuple(sources.items()), stages, tuple(written.items())))
    converted = _unplain_cells_converted(fast, sources, stages, written)
    for column in sources.values():
        converted.setdefault(failure_column(column.name), _nulls(failure_column(column.name), fast.height))
    # Assembled from the columns at hand: a query would cost more than the cells it moves.
    return pl.DataFrame([converted[name] if name in converted else fast.get_column(name) for name in layout])


def _nulls(name: str, height: int) -> pl.Series:
    """A String column of ``height`` nulls named ``name`` (built directly: a literal in a query costs more)."""
    return pl.Series(name, [None], dtype=pl.String).new_from_index(0, height)


def _unplain_cells_converted(
    fast: pl.DataFrame, sources: Mapping[str, ColumnSpec], stages: StageKey, written: Mapping[str, str]
) -> dict[str, pl.Series]:
    """The typed, failure and as-written columns of ``fast`` that an unplain cell changes, with those cells fully converted
    (a few queries per kind of column, whatever the number of columns); the columns no cell changes are left out."""
    groups: dict[tuple[str, int | None], list[tuple[str, ColumnSpec, pl.Series]]] = {}
    for source, column in sources.items():
        if column.kind != "text" and (unplain := fast.get_column(_unplain(column.name))).any():
            groups.setdefault((column.kind, column.digits), []).append((source, column, unplain))
    merged: dict[str, pl.Series] = {}
    for (kind, digits), group in groups.items():
        cells = pl.concat([fast.get_column(source).filter(unplain) for source, _, unplain in group])
        converted = _run_passes(cells.alias(CELL).to_frame(), _cell_passes(kind, digits, stages))
        offset = 0
        for source, column, unplain in group:
            rows = fast.get_column(ROW).filter(unplain)
            part = converted.slice(offset, rows.len())
            offset += rows.len()
            merged[column.name] = fast.get_column(column.name).clone().scatter(rows, part.get_column("value"))
            # Failures start null and copies as the cells themselves: most unplain cells (wide digits) change neither.
            failures = part.get_column(failure_column("value"))
            if failures.null_count() < failures.len():
                name = failure_column(column.name)
                merged[name] = _nulls(name, fast.height).scatter(rows, failures)
            if source in written and not part.get_column("written").equals(part.get_column(CELL)):
                merged[written[source]] = fast.get_column(written[source]).clone().scatter(rows, part.get_column("written"))
    return merged
