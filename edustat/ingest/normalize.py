"""One raw sheet → one table's typed rows with provenance, plus the issues of the clerk's layout and cells.

Pure: frames in, frames out. The sheet is recognised by name, its header row is found among the
first rows, its columns are mapped to contract columns, a total row is checked and dropped, and
every cell is converted in one vectorised pass per sheet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, islice

import polars as pl

from config.models import Rules
from edustat.ingest.read import RawSheet
from edustat.ingest.values import FAILURE_RULES, WORDLESS_KINDS, as_written, convert_columns, failure_column
from schemas.issues import concat_issues, empty_issues, issue, issue_frame, issues_from
from schemas.messages import stage_choices
from schemas.staged import empty_table
from schemas.tables import TABLES, TableSpec, staged_dtypes

HEADER_SEARCH_ROWS = 20
"""The header row is looked for among this many first non-empty rows (title rows come above it)."""

TOTAL_PATTERN = "合计|总计"
"""A row with a cell containing one of these is a total row."""

TOTAL_TOLERANCE = 1e-6
"""Relative difference below which a total row agrees with the column sum (float rounding)."""

HEADER_COLUMNS: dict[str, pl.DataType] = {
    "table_name": pl.String(),
    "source_file": pl.String(),
    "source_sheet": pl.String(),
    "column": pl.String(),
    "column_header": pl.String(),
    "column_letter": pl.String(),
}
"""Columns of a header map: one row per contract column found in a sheet, with its header and letter."""

PROVENANCE = ("source_file", "source_sheet", "source_row")
"""Where a staged row came from: file, sheet and Excel row number."""

SHEET_KEY = "__sheet"
"""Column numbering the (source_file, source_sheet) pairs of a stack: the same pair as a small integer, cheap to filter on."""

_TRAILING_UNIT = re.compile(r"(\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】)$")
_NAME_SEPARATORS = re.compile(r"[\s_\-—–.·、,()\[\]【】]+")


@lru_cache(maxsize=8192)
def normalize_name(text: str) -> str:
    """Comparison form of a header or sheet name: half-width, lower case, no spaces/underscores, no trailing unit or '*'."""
    name = unicodedata.normalize("NFKC", str(text)).strip().lower()
    name = re.sub(r"[\s_]+", "", name).rstrip("*")
    return _TRAILING_UNIT.sub("", name) or name


@lru_cache(maxsize=1)
def _sheet_names() -> dict[str, str]:
    return {normalize_name(name): table for table, spec in TABLES.items() for name in spec.sheet_names}


def recognise_table(sheet_name: str, file_stem: str, sheet_count: int) -> str | None:
    """The table a sheet holds, by its name (Chinese or English); a lone sheet with another name falls back to the file stem.

    A name matches when it is a table's sheet name, or holds one as a token ("622922_学校名录",
    "康乐县-在校生").
    """
    known = _sheet_names()
    candidates = [sheet_name] if sheet_count > 1 else [sheet_name, file_stem]
    for candidate in candidates:
        key = normalize_name(candidate)
        if key in known:
            return known[key]
        tokens = {normalize_name(token) for token in _NAME_SEPARATORS.split(unicodedata.normalize("NFKC", candidate))}
        hits = {known[token] for token in tokens if token in known}
        if len(hits) == 1:
            return hits.pop()
    return None


BLANK_SCAN_ROWS = 64
"""Rows checked cell by cell in Python before a sheet that looks empty is scanned whole (vectorised)."""


FIRST_FETCH_ROWS = 4
"""Rows converted to Python at first when a sheet is read from the top; each further fetch takes four times more."""


def _has_text(cell: object) -> bool:
    return cell is not None and bool(str(cell).strip())


def _rows_from_top(data: pl.DataFrame) -> Iterator[tuple]:
    """The rows of ``data`` as tuples, from the top, fetched in growing chunks (searches mostly stop in the first few)."""
    offset, size = 0, FIRST_FETCH_ROWS
    while offset < data.height:
        yield from data.slice(offset, size).rows()
        offset += size
        size *= 4


def sheet_is_blank(data: pl.DataFrame) -> bool:
    """True when no cell of the sheet holds anything but spaces."""
    if data.width == 0 or data.height == 0:
        return True
    # Nearly every sheet has text in its first rows: answering from them saves a query per sheet.
    if any(_has_text(cell) for row in islice(_rows_from_top(data), BLANK_SCAN_ROWS) for cell in row):
        return False
    return not data.select(_row_has_content(data.columns).any()).item()


def _row_has_content(letters: list[str]) -> pl.Expr:
    return pl.any_horizontal([as_written(pl.col(letter)).is_not_null() for letter in letters]).fill_null(False)


@dataclass(frozen=True)
class HeaderRow:
    """The header row of a sheet: its 0-based index in the raw frame and the contract columns it names."""

    index: int
    columns: dict[str, tuple[str, str]]
    """contract column → (Excel letter, header text as written)."""
    unknown: list[tuple[str, str]]
    """(Excel letter, header text) of every non-empty header cell naming no contract column."""
    repeated: list[tuple[str, str, str]]
    """(Excel letter, header text, letter of the first column of that name) of every repeated column."""


@lru_cache(maxsize=len(TABLES))
def _known_headers(table: str) -> dict[str, str]:
    spec = TABLES[table]
    return {normalize_name(header): column.name for column in spec.columns for header in column.headers}


def find_header_row(data: pl.DataFrame, spec: TableSpec) -> HeaderRow | None:
    """The row among the first non-empty rows that names the most columns of ``spec``; None when none names any."""
    if data.width == 0 or data.height == 0:
        return None
    known = _known_headers(spec.name)
    best: HeaderRow | None = None
    best_count = 0
    searched = 0
    letters = data.columns
    # Plain Python over a few rows: a query per sheet would cost more than the search itself.
    for index, cells in enumerate(_rows_from_top(data)):
        texts = [(letter, str(cell).strip()) for letter, cell in zip(letters, cells, strict=True) if _has_text(cell)]
        if not texts:
            continue
        searched += 1
        columns: dict[str, tuple[str, str]] = {}
        unknown: list[tuple[str, str]] = []
        repeated: list[tuple[str, str, str]] = []
        for letter, text in texts:
            name = known.get(normalize_name(text))
            if name is None:
                unknown.append((letter, text))
            elif name in columns:
                repeated.append((letter, text, columns[name][0]))
            else:
                columns[name] = (letter, text)
        if len(columns) > best_count:
            best, best_count = HeaderRow(index, columns, unknown, repeated), len(columns)
        # A row naming every column cannot be beaten: the rows below it are data.
        if searched >= HEADER_SEARCH_ROWS or best_count == len(spec.columns):
            break
    return best


@dataclass(frozen=True)
class SheetResult:
    """One sheet normalised: the table's typed rows (one per data row), its header map and its issues."""

    table: str
    frame: pl.DataFrame
    headers: pl.DataFrame
    issues: pl.DataFrame


def empty_headers() -> pl.DataFrame:
    """A header map with no rows."""
    return pl.DataFrame(schema=HEADER_COLUMNS)


def _layout_issues(sheet: RawSheet, spec: TableSpec, header: HeaderRow) -> list[dict]:
    header_row = sheet.first_row + header.index
    where = {"table_name": spec.name, "source_file": sheet.source_file, "source_sheet": sheet.source_sheet}
    rows = [
        issue("unknown_column", "warning", **where, source_row=header_row, cell=f"{letter}{header_row}",
              column_header=text, value=text)
        for letter, text in header.unknown
    ]
    rows += [
        issue("duplicate_column", "warning", **where, source_row=header_row, cell=f"{letter}{header_row}",
              column_header=text, value=text, first_cell=f"{first}{header_row}")
        for letter, text, first in header.repeated
    ]
    rows += [
        issue("missing_column", "error", **where, source_row=header_row, column=column.name,
              column_zh=column.header_zh, header_row=header_row)
        for column in spec.columns
        if column.required and column.name not in header.columns
    ]
    return rows


def _cell() -> pl.Expr:
    """The A1 reference of a located offending cell: its column letter and Excel row."""
    return pl.concat_str(pl.col("column_letter"), pl.col("source_row").cast(pl.String))


def _input_column(name: str) -> str:
    """Name of the raw String column that holds contract column ``name`` in a sheet body."""
    return f"__in_{name}"


def _raw_column(name: str) -> str:
    """Name of the trimmed as-written copy of contract column ``name`` that issues quote."""
    return f"__raw_{name}"


def _other_column(index: int) -> str:
    """Name of a sheet column that maps to no contract column; kept only to spot total rows."""
    return f"__other_{index}"


def _has_total_label(columns: Sequence[str | pl.Expr]) -> pl.Expr:
    """True on a row with a cell (of ``columns``: names or String expressions) containing a total label."""
    # One search for either word per cell (the pattern holds no other regex syntax).
    cells = [(pl.col(column) if isinstance(column, str) else column).str.contains(TOTAL_PATTERN) for column in columns]
    return pl.any_horizontal(cells or [pl.lit(False)]).fill_null(False)


@dataclass(frozen=True)
class SheetPlan:
    """One recognised sheet after its layout is understood, before any cell is converted (one per sheet).

    ``body`` holds the sheet's rows below the header, raw: the columns that map to contract columns
    renamed ``__in_<column>``, the others ``__other_<i>``; its row i is Excel row ``first_row + i``.
    ``header_rows`` and ``issue_rows`` are plain dicts for the header map and the layout issues.
    """

    table: str
    source_file: str
    source_sheet: str
    body: pl.DataFrame | None
    first_row: int = 1
    header_rows: list[dict] = field(default_factory=list)
    issue_rows: list[dict] = field(default_factory=list)


def _body(sheet: RawSheet, header: HeaderRow) -> pl.DataFrame:
    # A zero-copy slice renamed in place, no query: a per-sheet query would cost more than the sheet's cells.
    names = {letter: _input_column(name) for name, (letter, _) in header.columns.items()}
    body = sheet.data.slice(header.index + 1)
    others = (letter for letter in body.columns if letter not in names)
    renamed = names | {letter: _other_column(i) for i, letter in enumerate(others)}
    body.columns = [renamed[letter] for letter in body.columns]
    return body


def plan_sheet(sheet: RawSheet, table: str) -> SheetPlan:
    """The layout of one recognised sheet: its header, body and layout issues (no cell converted yet)."""
    spec = TABLES[table]
    header = find_header_row(sheet.data, spec)
    if header is None:
        problem = issue(
            "header_not_found", "error", table_name=table, source_file=sheet.source_file,
            source_sheet=sheet.source_sheet, table=table, table_zh=spec.sheet_zh, rows=HEADER_SEARCH_ROWS,
        )
        return SheetPlan(table, sheet.source_file, sheet.source_sheet, None, issue_rows=[problem])
    return SheetPlan(
        table,
        sheet.source_file,
        sheet.source_sheet,
        _body(sheet, header),
        first_row=sheet.first_row + header.index + 1,
        header_rows=_header_rows(sheet, table, header),
        issue_rows=_layout_issues(sheet, spec, header),
    )


def _located_issues(bad: pl.DataFrame, locations: pl.DataFrame, rule: str, severity: str, **fields: object) -> pl.DataFrame:
    """Issues of ``bad`` rows in the sheets that have the column: header text and cell from ``locations``."""
    if bad.height == 0:
        return empty_issues()
    located = bad.join(locations, on=["source_file", "source_sheet"], how="inner")
    return issues_from(located, rule, severity, cell=_cell(), **fields)


def _column_locations(headers: pl.DataFrame, table: str, column: str) -> pl.DataFrame:
    """Where contract column ``column`` of ``table`` sits in each sheet that has it: header as written and letter."""
    located = headers.filter((pl.col("table_name") == table) & (pl.col("column") == column))
    return located.select("source_file", "source_sheet", "column_header", "column_letter")


def _cell_issues(
    converted: pl.DataFrame, offending: pl.Series, headers: pl.DataFrame, spec: TableSpec, rules: Rules
) -> list[pl.DataFrame]:
    """Conversion failures and empty required cells: one issue per offending cell of the rows in mask ``offending``."""
    # Most rows are clean: the few offending ones are taken first, then their cells are named column by column.
    if not offending.any():
        return []
    bad = converted.filter(offending)
    frames: list[pl.DataFrame] = []
    choices = stage_choices(rules.stages)
    for column in spec.columns:
        name = column.name
        locations = _column_locations(headers, spec.name, name)
        fields = {"table_name": spec.name, "column": name, "column_zh": column.header_zh, "digits": column.digits or "", **choices}
        raw = pl.col(_raw_column(name)).alias("value")
        for rule in FAILURE_RULES[column.kind]:
            offending = bad.filter(pl.col(failure_column(name)) == rule).select(*PROVENANCE, raw)
            frames.append(_located_issues(offending, locations, rule, "error", **fields))
        if column.required:
            offending = bad.filter(pl.col(_raw_column(name)).is_null()).select(*PROVENANCE)
            frames.append(_located_issues(offending, locations, "missing_value", "error", **fields))
    return [frame for frame in frames if frame.height]


def _sum_text(value: float, kind: str) -> str:
    return f"{value:g}" if kind == "number" else str(int(value))


def _total_differs(column: str) -> pl.Expr:
    """True on a total row whose cell in ``column`` differs from the sheet's column sum (``__sum_<column>``)."""
    total_sum = pl.col(f"__sum_{column}").fill_null(0.0)
    tolerance = TOTAL_TOLERANCE * pl.max_horizontal(pl.lit(1.0), total_sum.abs())
    return pl.col(column).is_not_null() & ((pl.col(column).cast(pl.Float64) - total_sum).abs() > tolerance)


@lru_cache(maxsize=len(TABLES))
def _column_sums(table: str) -> list[pl.Expr]:
    """The sums of the numeric columns of ``table`` as Float64, named ``__sum_<column>`` (built once per table)."""
    numeric = [c.name for c in TABLES[table].columns if c.kind in ("integer", "number")]
    return [pl.col(name).cast(pl.Float64).sum().alias(f"__sum_{name}") for name in numeric]


def _any_total_differs(compared: pl.DataFrame, numeric: Sequence[str]) -> bool:
    """True when a cell of a total row differs from its sheet's column sum, in any numeric column."""
    # The cells and their sums stacked column after column: one comparison instead of one per column.
    cells = compared.unpivot(on=list(numeric)).get_column("value")
    sums = compared.unpivot(on=[f"__sum_{name}" for name in numeric]).get_column("value")
    stacked = pl.DataFrame([cells.alias("total"), sums.alias("__sum_total")])
    return bool(stacked.select(_total_differs("total").any()).item())


def _total_issues(
    converted: pl.DataFrame, data: pl.Series, total: pl.Series, headers: pl.DataFrame, spec: TableSpec
) -> list[pl.DataFrame]:
    """Each numeric cell of a total row (mask ``total``) that differs from its sheet's sum of data rows (mask ``data``):
    one warning per cell."""
    numeric = [c for c in spec.columns if c.kind in ("integer", "number")]
    if not numeric or not total.any():
        return []
    sheets = ["source_file", "source_sheet"]
    # Only the columns compared are taken along: filtering copies every column it is given.
    compared_columns = [*PROVENANCE, SHEET_KEY, *(c.name for c in numeric), *(_raw_column(c.name) for c in numeric)]
    totals = converted.select(pl.col(compared_columns).filter(total))
    # The data rows of the sheets that have a total row, in order: SHEET_KEY numbers (file, sheet) pairs one to one.
    with_total = converted.get_column(SHEET_KEY).is_in(sorted(set(totals.get_column(SHEET_KEY).to_list())))
    summed = converted.select(pl.col(*sheets, *(c.name for c in numeric)).filter(data & with_total))
    sums = summed.group_by(sheets).agg(_column_sums(spec.name))
    compared = totals.join(sums, on=sheets, how="left")
    # Totals mostly agree: one comparison answers for every column before any is looked at alone.
    if not _any_total_differs(compared, [c.name for c in numeric]):
        return []
    rows_out: list[dict] = []
    for column in numeric:
        name, total_sum = column.name, pl.col(f"__sum_{column.name}").fill_null(0.0)
        differing = compared.filter(_total_differs(name)).select(
            *PROVENANCE, pl.col(_raw_column(name)).alias("value"), total_sum.alias("sum")
        )
        if differing.height == 0:
            continue
        located = differing.join(_column_locations(headers, spec.name, name), on=sheets, how="inner")
        # Disagreeing totals are rare: their messages are rendered one by one, with Python's number format.
        for row in located.iter_rows(named=True):
            rows_out.append(
                issue(
                    "total_mismatch", "warning", table_name=spec.name, source_file=row["source_file"],
                    source_sheet=row["source_sheet"], source_row=row["source_row"], column_header=row["column_header"],
                    cell=f"{row['column_letter']}{row['source_row']}", value=row["value"], column=name,
                    column_zh=column.header_zh, sum=_sum_text(row["sum"], column.kind),
                )
            )
    return [issue_frame(rows_out)] if rows_out else []


@lru_cache(maxsize=len(TABLES))
def _staged_columns(table: str) -> list[pl.Expr]:
    """The staged columns of ``table`` in order, cast to their staged dtypes (built once per table)."""
    return [pl.col(name).cast(getattr(pl, dtype)()).alias(name) for name, dtype in staged_dtypes(table).items()]


def _typed(converted: pl.DataFrame, data: pl.Series, table: str) -> pl.DataFrame:
    """The data rows (mask ``data``) of ``converted`` in staged columns and dtypes."""
    typed = converted.select(_staged_columns(table))
    return typed if data.all() else typed.filter(data)


def _header_rows(sheet: RawSheet, table: str, header: HeaderRow) -> list[dict]:
    return [
        {"table_name": table, "source_file": sheet.source_file, "source_sheet": sheet.source_sheet,
         "column": name, "column_header": text, "column_letter": letter}
        for name, (letter, text) in header.columns.items()
    ]


def header_map(sheet: RawSheet, table: str, header: HeaderRow) -> pl.DataFrame:
    """One row per contract column found in the sheet: its header as written and its Excel letter."""
    rows = _header_rows(sheet, table, header)
    return pl.DataFrame(rows, schema=HEADER_COLUMNS) if rows else empty_headers()


def headers_frame(rows: list[dict]) -> pl.DataFrame:
    """A header map from plain dict rows (HEADER_COLUMNS keys)."""
    return pl.DataFrame(rows, schema=HEADER_COLUMNS) if rows else empty_headers()



def _stacked_bodies(table: str, plans: Sequence[SheetPlan]) -> pl.DataFrame | None:
    """Every plan's body in one frame with provenance: one row per sheet row below a header, in plan order.

    Columns: source_file, source_sheet, source_row, SHEET_KEY, every ``__in_<column>`` (null where a
    sheet lacks the column) and every ``__other_<i>`` that some sheet has.
    """
    spec = TABLES[table]
    planned = [plan for plan in plans if plan.body is not None and plan.body.height]
    if not planned:
        return None
    ends = list(accumulate(plan.body.height for plan in planned))
    keys: dict[tuple[str, str], int] = {}
    sheet_keys = [keys.setdefault((plan.source_file, plan.source_sheet), len(keys)) for plan in planned]
    # Excel row of stacked row r is r + (first_row − the sheet's offset in the stack).
    deltas = [plan.first_row - (end - plan.body.height) for plan, end in zip(planned, ends, strict=True)]
    # One chunk, not one per sheet: every later expression pays its overhead per chunk, and there are many.
    raw = pl.concat([plan.body for plan in planned], how="diagonal", rechunk=True) if len(planned) > 1 else planned[0].body
    inputs = (_input_column(c.name) for c in spec.columns)
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    # The plan of each stacked row, found once from the plans' end offsets: no per-sheet column to build and stack.
    positions = pl.int_range(0, raw.height, dtype=pl.Int64, eager=True)
    sheet = pl.lit(pl.Series(ends, dtype=pl.Int64).search_sorted(positions, side="right"))
    return raw.select(
        pl.lit(pl.Series([plan.source_file for plan in planned], dtype=pl.String)).gather(sheet).alias("source_file"),
        pl.lit(pl.Series([plan.source_sheet for plan in planned], dtype=pl.String)).gather(sheet).alias("source_sheet"),
        (row + pl.lit(pl.Series(deltas, dtype=pl.Int64)).gather(sheet)).alias("source_row"),
        pl.lit(pl.Series(sheet_keys, dtype=pl.UInt32)).gather(sheet).alias(SHEET_KEY),
        *(pl.col(name) if name in raw.columns else pl.lit(None, dtype=pl.String).alias(name) for name in inputs),
        *(name for name in raw.columns if name.startswith("__other_")),
    )


@lru_cache(maxsize=64)
def _row_flags(table: str, others: tuple[str, ...]) -> list[pl.Expr]:
    """Flags of converted rows (built once per layout): ``content`` (something in a contract column), ``label`` (a total
    label in a column searched on every row), ``failed`` (a failed cell of a wordless kind: the only such cell that can
    hold a label) and ``offending`` (a failure or an empty required cell)."""
    spec = TABLES[table]
    searched = [_input_column(c.name) for c in spec.columns if c.kind not in WORDLESS_KINDS]
    wordless = [c for c in spec.columns if c.kind in WORDLESS_KINDS]
    failing = [pl.col(failure_column(c.name)).is_not_null() for c in spec.columns if FAILURE_RULES[c.kind]]
    empty = [pl.col(_raw_column(c.name)).is_null() for c in spec.columns if c.required]
    return [
        pl.any_horizontal(pl.col(_raw_column(c.name)).is_not_null() for c in spec.columns).alias("content"),
        _has_total_label([*searched, *others]).alias("label"),
        pl.any_horizontal([pl.col(failure_column(c.name)).is_not_null() for c in wordless] or [pl.lit(False)]).alias("failed"),
        pl.any_horizontal([*failing, *empty] or [pl.lit(False)]).alias("offending"),
    ]


@dataclass(frozen=True)
class RowKinds:
    """Masks over the converted rows of a table: data rows, total rows, and data rows with an offending cell."""

    data: pl.Series
    total: pl.Series
    offending: pl.Series


def _row_kinds(converted: pl.DataFrame, spec: TableSpec) -> RowKinds:
    """Which converted rows are data rows and which are total rows; a row with nothing in any contract column is neither.

    A total row has a cell containing 合计 or 总计. Cells that converted to a number or a code hold
    no such word, so those columns are searched only on the few rows where one failed.
    """
    others = tuple(c for c in converted.columns if c.startswith("__other_"))
    flags = converted.select(_row_flags(spec.name, others))
    content, is_total, failed = flags.get_column("content"), flags.get_column("label"), flags.get_column("failed")
    if failed.any():
        wordless = [pl.col(_input_column(c.name)).filter(failed) for c in spec.columns if c.kind in WORDLESS_KINDS]
        rows = pl.int_range(pl.len(), dtype=pl.get_index_type()).filter(failed).alias("row")
        found = converted.select(rows, _has_total_label(wordless).alias("label"))
        is_total = is_total.clone().scatter(found.get_column("row"), is_total.filter(failed) | found.get_column("label"))
    data = content & ~is_total
    return RowKinds(data, content & is_total, data & flags.get_column("offending"))


NUL = "\x00"
SHOWN_NUL = "\u2400"
"""How a NUL is shown in an issue's value (␀): the database refuses NUL in text, a clerk sees where it was."""


def _invalid_characters(stacked: pl.DataFrame, headers: pl.DataFrame, spec: TableSpec) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """The stacked cells with NUL characters removed, and one invalid_character error per cell that held one.

    A NUL is no character a clerk can type or see; PostgreSQL cannot store it in text. The cell is
    reported (its value with ␀ where the NUL was) and converted without it; the error rejects the run.
    """
    inputs = [_input_column(c.name) for c in spec.columns]
    has_nul = [name for name in inputs if stacked.get_column(name).str.contains(NUL, literal=True).any()]
    if not has_nul:
        return stacked, []
    issues = []
    for column in spec.columns:
        name = _input_column(column.name)
        if name not in has_nul:
            continue
        bad = stacked.filter(pl.col(name).str.contains(NUL, literal=True)).select(
            *PROVENANCE, pl.col(name).str.replace_all(NUL, SHOWN_NUL, literal=True).alias("value")
        )
        fields = {"table_name": spec.name, "column": column.name, "column_zh": column.header_zh}
        issues.append(_located_issues(bad, _column_locations(headers, spec.name, column.name), "invalid_character", "error", **fields))
    cleaned = stacked.with_columns(pl.col(name).str.replace_all(NUL, "", literal=True) for name in has_nul)
    return cleaned, [frame for frame in issues if frame.height]


def convert_plans(table: str, plans: Sequence[SheetPlan], headers: pl.DataFrame, rules: Rules) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """The sheets of ``table`` in ``plans`` converted together: their typed rows (staged dtypes) and cell and total issues.

    Grain: one output row per non-empty, non-total row below a header, in plan order. Converting
    many sheets in one pass is what makes ingest fast: the per-query cost is paid once per batch.
    ``headers`` is the header map of these sheets.
    """
    spec = TABLES[table]
    stacked = _stacked_bodies(table, plans)
    if stacked is None:
        return empty_table(table), []
    stacked, invalid = _invalid_characters(stacked, headers, spec)
    sources = {_input_column(c.name): c for c in spec.columns}
    written = {_input_column(c.name): _raw_column(c.name) for c in spec.columns}
    converted = convert_columns(stacked, sources, rules, written)
    # Rows are picked by masks, not copied out: most of the converted columns are needed only for a few rows.
    kinds = _row_kinds(converted, spec)
    issues = [
        *invalid,
        *_cell_issues(converted, kinds.offending, headers, spec, rules),
        *_total_issues(converted, kinds.data, kinds.total, headers, spec),
    ]
    return _typed(converted, kinds.data, table), issues


def normalize_sheet(sheet: RawSheet, table: str, rules: Rules) -> SheetResult:
    """The rows of ``table`` in one recognised sheet, typed per staged_dtypes, with every layout and cell issue.

    Grain: one output row per non-empty, non-total row below the header. A cell that cannot be
    converted, or an empty required cell, becomes null and one error issue.
    """
    plan = plan_sheet(sheet, table)
    headers = headers_frame(plan.header_rows)
    frame, cell_issues = convert_plans(table, [plan], headers, rules)
    return SheetResult(table, frame, headers, concat_issues([issue_frame(plan.issue_rows), *cell_issues]))


def unknown_sheet_row(sheet: RawSheet) -> dict:
    """The warning (as an issue dict) for a sheet whose name names no table."""
    expected = "、".join(name for spec in TABLES.values() for name in spec.sheet_names)
    return issue("unknown_sheet", "warning", source_file=sheet.source_file, source_sheet=sheet.source_sheet,
                 sheet=sheet.source_sheet, expected=expected)


def unknown_sheet_issue(sheet: RawSheet) -> pl.DataFrame:
    """The warning for a sheet whose name names no table."""
    return issue_frame([unknown_sheet_row(sheet)])
