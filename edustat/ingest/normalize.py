"""One raw sheet → one table's typed rows with provenance, plus the issues of the clerk's layout and cells.

Pure: frames in, frames out. The sheet is recognised by name, its header row is found among the
first rows, its columns are mapped to contract columns, a total row is checked and dropped, and
every cell is converted in one vectorised pass per sheet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl

from config.models import Rules
from edustat.ingest.read import RawSheet
from edustat.ingest.values import FAILURE_RULES, as_written, convert_columns, failure_column
from schemas.issues import concat_issues, empty_issues, issue, issue_frame, issues_from
from schemas.messages import stage_choices
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

_TRAILING_UNIT = re.compile(r"(\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】)$")
_NAME_SEPARATORS = re.compile(r"[\s_\-—–.·、,()\[\]【】]+")


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


def _has_text(cell: object) -> bool:
    return cell is not None and bool(str(cell).strip())


def sheet_is_blank(data: pl.DataFrame) -> bool:
    """True when no cell of the sheet holds anything but spaces."""
    if data.width == 0 or data.height == 0:
        return True
    # Nearly every sheet has text in its first rows: answering from them saves a query per sheet.
    if any(_has_text(cell) for row in data.head(BLANK_SCAN_ROWS).iter_rows() for cell in row):
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
    # Plain Python over a few rows: a query per sheet would cost more than the search itself.
    for index, cells in enumerate(data.iter_rows(buffer_size=HEADER_SEARCH_ROWS * 2)):
        if not any(_has_text(cell) for cell in cells):
            continue
        searched += 1
        columns: dict[str, tuple[str, str]] = {}
        unknown: list[tuple[str, str]] = []
        repeated: list[tuple[str, str, str]] = []
        for letter, cell in zip(data.columns, cells, strict=True):
            if not _has_text(cell):
                continue
            text = str(cell).strip()
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


def empty_table(table: str) -> pl.DataFrame:
    """A staged frame of ``table`` with no rows."""
    return pl.DataFrame(schema={name: getattr(pl, dtype)() for name, dtype in staged_dtypes(table).items()})


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


def _has_total_label(columns: Sequence[str]) -> pl.Expr:
    words = TOTAL_PATTERN.split("|")
    cells = [pl.col(name).str.contains(word, literal=True) for name in columns for word in words]
    return pl.any_horizontal(cells).fill_null(False)


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
    # Series renamed and regrouped, no query: a per-sheet query would cost more than the sheet's cells.
    names = {letter: _input_column(name) for name, (letter, _) in header.columns.items()}
    data = sheet.data.slice(header.index + 1)
    others = (letter for letter in data.columns if letter not in names)
    renamed = {letter: names[letter] for letter in names} | {letter: _other_column(i) for i, letter in enumerate(others)}
    return pl.DataFrame([data.get_column(letter).alias(renamed[letter]) for letter in data.columns])


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


def _column_locations(headers: pl.DataFrame, column: str) -> pl.DataFrame:
    return headers.filter(pl.col("column") == column).select("source_file", "source_sheet", "column_header", "column_letter")


def _cell_issues(rows: pl.DataFrame, headers: pl.DataFrame, spec: TableSpec, rules: Rules) -> list[pl.DataFrame]:
    """Conversion failures and empty required cells: one issue per offending cell of the data rows."""
    failing = [pl.col(failure_column(c.name)).is_not_null() for c in spec.columns if FAILURE_RULES[c.kind]]
    empty = [pl.col(_raw_column(c.name)).is_null() for c in spec.columns if c.required]
    # Most rows are clean: find the few offending ones first, then name their cells column by column.
    bad = rows.filter(pl.any_horizontal([*failing, *empty]))
    if bad.height == 0:
        return []
    frames: list[pl.DataFrame] = []
    choices = stage_choices(rules.stages)
    for column in spec.columns:
        name = column.name
        locations = _column_locations(headers, name)
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


def _total_issues(totals: pl.DataFrame, rows: pl.DataFrame, headers: pl.DataFrame, spec: TableSpec) -> list[pl.DataFrame]:
    """Each numeric cell of a total row that differs from its sheet's column sum: one warning per cell."""
    numeric = [c for c in spec.columns if c.kind in ("integer", "number")]
    if totals.height == 0 or not numeric:
        return []
    sheets = ["source_file", "source_sheet"]
    sums = (
        rows.join(totals.select(sheets).unique(), on=sheets, how="semi")
        .group_by(sheets)
        .agg([pl.col(c.name).cast(pl.Float64).sum().alias(f"__sum_{c.name}") for c in numeric])
    )
    compared = totals.join(sums, on=sheets, how="left")
    rows_out: list[dict] = []
    for column in numeric:
        name, total_sum = column.name, pl.col(f"__sum_{column.name}").fill_null(0.0)
        tolerance = TOTAL_TOLERANCE * pl.max_horizontal(pl.lit(1.0), total_sum.abs())
        differing = compared.filter(
            pl.col(name).is_not_null() & ((pl.col(name).cast(pl.Float64) - total_sum).abs() > tolerance)
        ).select(*PROVENANCE, pl.col(_raw_column(name)).alias("value"), total_sum.alias("sum"))
        if differing.height == 0:
            continue
        located = differing.join(_column_locations(headers, name), on=sheets, how="inner")
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


def _typed(rows: pl.DataFrame, table: str) -> pl.DataFrame:
    return rows.select([pl.col(name).cast(getattr(pl, dtype)()).alias(name) for name, dtype in staged_dtypes(table).items()])


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
    """Every plan's body in one frame with provenance and ``__is_total``: one row per sheet row below a header."""
    spec = TABLES[table]
    planned = [plan for plan in plans if plan.body is not None and plan.body.height]
    if not planned:
        return None
    frames, deltas, files, sheets = [], [], [], []
    offset = 0
    for number, plan in enumerate(planned):
        frames.append(plan.body.hstack([pl.Series("__sheet", [number], dtype=pl.UInt32).new_from_index(0, plan.body.height)]))
        # Excel row of stacked row r is r + (first_row − the sheet's offset in the stack).
        deltas.append(plan.first_row - offset)
        files.append(plan.source_file)
        sheets.append(plan.source_sheet)
        offset += plan.body.height
    raw = pl.concat(frames, how="diagonal") if len(frames) > 1 else frames[0]
    inputs = [_input_column(c.name) for c in spec.columns]
    others = [c for c in raw.columns if c.startswith("__other_")]
    sheet = pl.col("__sheet")
    return raw.select(
        pl.lit(pl.Series(files, dtype=pl.String)).gather(sheet).alias("source_file"),
        pl.lit(pl.Series(sheets, dtype=pl.String)).gather(sheet).alias("source_sheet"),
        (pl.int_range(pl.len(), dtype=pl.Int64) + pl.lit(pl.Series(deltas, dtype=pl.Int64)).gather(sheet)).alias("source_row"),
        _has_total_label([c for c in (*inputs, *others) if c in raw.columns]).alias("__is_total"),
        *(pl.col(name) if name in raw.columns else pl.lit(None, dtype=pl.String).alias(name) for name in inputs),
    )


def convert_plans(table: str, plans: Sequence[SheetPlan], headers: pl.DataFrame, rules: Rules) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """The sheets of ``table`` in ``plans`` converted together: their typed rows (staged dtypes) and cell and total issues.

    Grain: one output row per non-empty, non-total row below a header, in plan order. Converting
    many sheets in one pass is what makes ingest fast: the per-query cost is paid once per batch.
    ``headers`` is the header map of these sheets.
    """
    spec = TABLES[table]
    raw = _stacked_bodies(table, plans)
    if raw is None:
        return empty_table(table), []
    inputs = [_input_column(c.name) for c in spec.columns]
    raw = raw.filter(_row_has_content(inputs)).with_columns(
        as_written(pl.col(_input_column(c.name))).alias(_raw_column(c.name)) for c in spec.columns
    )
    converted = convert_columns(raw, {_input_column(c.name): c for c in spec.columns}, rules).drop(inputs)
    is_total = pl.col("__is_total")
    totals = converted.filter(is_total)
    rows = converted.filter(~is_total) if totals.height else converted
    table_headers = headers.filter(pl.col("table_name") == table)
    issues = [*_cell_issues(rows, table_headers, spec, rules), *_total_issues(totals, rows, table_headers, spec)]
    return _typed(rows, table), issues


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
