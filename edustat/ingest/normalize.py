"""One raw sheet → one table's typed rows with provenance, plus the issues of the clerk's layout and cells.

Pure: frames in, frames out. The sheet is recognised by name, its header row is found among the
first rows, its columns are mapped to contract columns, a total row is checked and dropped, and
every cell is converted in one vectorised pass per sheet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import polars as pl

from config.models import Rules
from edustat.ingest.read import RawSheet
from edustat.ingest.values import FAILURE_RULES, as_written, convert_columns, failure_column
from schemas.issues import concat_issues, issue, issue_frame, issues_from
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

_TRAILING_UNIT = re.compile(r"(\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】)$")
_NAME_SEPARATORS = re.compile(r"[\s_\-—–.·、,()\[\]【】]+")


def normalize_name(text: str) -> str:
    """Comparison form of a header or sheet name: half-width, lower case, no spaces/underscores, no trailing unit or '*'."""
    name = unicodedata.normalize("NFKC", str(text)).strip().lower()
    name = re.sub(r"[\s_]+", "", name).rstrip("*")
    return _TRAILING_UNIT.sub("", name) or name


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


def sheet_is_blank(data: pl.DataFrame) -> bool:
    """True when no cell of the sheet holds anything but spaces."""
    if data.width == 0 or data.height == 0:
        return True
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


def _known_headers(spec: TableSpec) -> dict[str, str]:
    return {normalize_name(header): column.name for column in spec.columns for header in column.headers}


def find_header_row(data: pl.DataFrame, spec: TableSpec) -> HeaderRow | None:
    """The row among the first non-empty rows that names the most columns of ``spec``; None when none names any."""
    if data.width == 0 or data.height == 0:
        return None
    known = _known_headers(spec)
    indexed = data.with_row_index("__index").filter(_row_has_content(data.columns)).head(HEADER_SEARCH_ROWS)
    best: HeaderRow | None = None
    best_count = 0
    for row in indexed.iter_rows():
        index, cells = row[0], row[1:]
        columns: dict[str, tuple[str, str]] = {}
        unknown: list[tuple[str, str]] = []
        repeated: list[tuple[str, str, str]] = []
        for letter, cell in zip(data.columns, cells, strict=True):
            if cell is None or not cell.strip():
                continue
            text = cell.strip()
            name = known.get(normalize_name(text))
            if name is None:
                unknown.append((letter, text))
            elif name in columns:
                repeated.append((letter, text, columns[name][0]))
            else:
                columns[name] = (letter, text)
        if len(columns) > best_count:
            best, best_count = HeaderRow(index, columns, unknown, repeated), len(columns)
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


def _cell(letter: str) -> pl.Expr:
    return pl.concat_str(pl.lit(letter), pl.col("source_row").cast(pl.String))


def _cell_issues(converted: pl.DataFrame, sheet: RawSheet, spec: TableSpec, header: HeaderRow, rules: Rules) -> list[pl.DataFrame]:
    """Conversion failures and empty required cells: one issue per offending cell of the data rows."""
    frames: list[pl.DataFrame] = []
    choices = stage_choices(rules.stages)
    for name, (letter, text) in header.columns.items():
        column = spec.column(name)
        where = {
            "table_name": spec.name,
            "source_file": sheet.source_file,
            "source_sheet": sheet.source_sheet,
            "column_header": text,
            "cell": _cell(letter),
            "column": name,
            "column_zh": column.header_zh,
            "digits": column.digits or "",
            **choices,
        }
        raw, failure = f"__raw_{name}", failure_column(name)
        for rule in FAILURE_RULES[column.kind]:
            bad = converted.filter(pl.col(failure) == rule).select("source_row", pl.col(raw).alias("value"))
            frames.append(issues_from(bad, rule, "error", **where))
        if column.required:
            empty = converted.filter(pl.col(raw).is_null()).select("source_row")
            frames.append(issues_from(empty, "missing_value", "error", **where))
    return frames


def _total_issues(totals: pl.DataFrame, rows: pl.DataFrame, sheet: RawSheet, spec: TableSpec, header: HeaderRow) -> list[pl.DataFrame]:
    """Each numeric cell of a total row that differs from its column's sum: one warning per cell."""
    frames: list[pl.DataFrame] = []
    numeric = [name for name in header.columns if spec.column(name).kind in ("integer", "number")]
    if totals.height == 0 or not numeric:
        return frames
    sums = rows.select([pl.col(name).cast(pl.Float64).sum() for name in numeric]).row(0, named=True)
    for name in numeric:
        letter, text = header.columns[name]
        column_sum = sums[name]
        tolerance = TOTAL_TOLERANCE * max(1.0, abs(column_sum))
        differing = totals.filter(
            pl.col(name).is_not_null() & ((pl.col(name).cast(pl.Float64) - column_sum).abs() > tolerance)
        ).select("source_row", pl.col(f"__raw_{name}").alias("value"))
        frames.append(
            issues_from(
                differing, "total_mismatch", "warning",
                table_name=spec.name, source_file=sheet.source_file, source_sheet=sheet.source_sheet,
                column_header=text, cell=_cell(letter), column=name, column_zh=spec.column(name).header_zh,
                sum=f"{column_sum:g}" if spec.column(name).kind == "number" else str(int(column_sum)),
            )
        )
    return frames


def _typed(rows: pl.DataFrame, sheet: RawSheet, table: str) -> pl.DataFrame:
    dtypes = staged_dtypes(table)
    columns = []
    for name, dtype in dtypes.items():
        if name == "source_file":
            expr = pl.lit(sheet.source_file)
        elif name == "source_sheet":
            expr = pl.lit(sheet.source_sheet)
        elif name in rows.columns:
            expr = pl.col(name)
        else:
            expr = pl.lit(None)
        columns.append(expr.cast(getattr(pl, dtype)()).alias(name))
    return rows.select(columns)


def header_map(sheet: RawSheet, table: str, header: HeaderRow) -> pl.DataFrame:
    """One row per contract column found in the sheet: its header as written and its Excel letter."""
    rows = [
        {"table_name": table, "source_file": sheet.source_file, "source_sheet": sheet.source_sheet,
         "column": name, "column_header": text, "column_letter": letter}
        for name, (letter, text) in header.columns.items()
    ]
    return pl.DataFrame(rows, schema=HEADER_COLUMNS) if rows else empty_headers()


def normalize_sheet(sheet: RawSheet, table: str, rules: Rules) -> SheetResult:
    """The rows of ``table`` in one recognised sheet, typed per staged_dtypes, with every layout and cell issue.

    Grain: one output row per non-empty, non-total row below the header. A cell that cannot be
    converted, or an empty required cell, becomes null and one error issue.
    """
    spec = TABLES[table]
    header = find_header_row(sheet.data, spec)
    if header is None:
        problem = issue(
            "header_not_found", "error", table_name=table, source_file=sheet.source_file,
            source_sheet=sheet.source_sheet, table=table, table_zh=spec.sheet_zh, rows=HEADER_SEARCH_ROWS,
        )
        return SheetResult(table, empty_table(table), empty_headers(), issue_frame([problem]))
    letters = sheet.data.columns
    body = (
        sheet.data.slice(header.index + 1)
        .with_row_index("__index")
        .with_columns((pl.col("__index").cast(pl.Int64) + sheet.first_row + header.index + 1).alias("source_row"))
    )
    mapped = [letter for letter, _ in header.columns.values()]
    body = body.filter(_row_has_content(mapped)).select(
        pl.col("source_row"),
        pl.any_horizontal([pl.col(letter).str.contains(TOTAL_PATTERN) for letter in letters]).fill_null(False).alias("__is_total"),
        *(pl.col(letter) for letter in mapped),
        *(as_written(pl.col(letter)).alias(f"__raw_{name}") for name, (letter, _) in header.columns.items()),
    )
    sources = {letter: spec.column(name) for name, (letter, _) in header.columns.items()}
    converted = convert_columns(body, sources, rules).drop(mapped)
    totals = converted.filter(pl.col("__is_total"))
    rows = converted.filter(~pl.col("__is_total"))
    issues = concat_issues(
        [
            issue_frame(_layout_issues(sheet, spec, header)),
            *_cell_issues(rows, sheet, spec, header, rules),
            *_total_issues(totals, rows, sheet, spec, header),
        ]
    )
    return SheetResult(table, _typed(rows, sheet, table), header_map(sheet, table, header), issues)


def unknown_sheet_issue(sheet: RawSheet) -> pl.DataFrame:
    """The warning for a sheet whose name names no table."""
    expected = "、".join(name for spec in TABLES.values() for name in spec.sheet_names)
    return issue_frame(
        [issue("unknown_sheet", "warning", source_file=sheet.source_file, source_sheet=sheet.source_sheet,
               sheet=sheet.source_sheet, expected=expected)]
    )

