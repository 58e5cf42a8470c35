"""One county's tables turned into the cells of its sheets, shaped the way that county writes them (no I/O here)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import polars as pl

from edustat.sample.shapes import FULL_WIDTH, REMARKS, TITLES, Shape
from schemas.rules import load_rules
from schemas.tables import TABLES, ColumnSpec

Cell = str | int | float | bool | None


@dataclass(frozen=True)
class Sheet:
    """One sheet (or CSV file) to write: where it goes and every cell, one tuple per row."""

    path: str
    """File path relative to the output folder, e.g. "2020/622901_临夏市.xlsx"."""
    name: str
    rows: tuple[tuple[Cell, ...], ...]
    title_rows: int
    is_title_merged: bool
    width: int


def number_text(value: int | float) -> str:
    """A number as a clerk types it: 12, 12.5, 1234.56 (no trailing zeros)."""
    if isinstance(value, int):
        return str(value)
    return format(value, ".2f").rstrip("0").rstrip(".")


def _header(column: ColumnSpec, shape: Shape) -> str:
    if shape.is_english:
        text = column.name
    elif column.unit_zh and shape.units == "half":
        text = f"{column.header_zh}({column.unit_zh})"
    elif column.unit_zh and shape.units == "full":
        text = f"{column.header_zh}（{column.unit_zh}）"
    else:
        text = column.header_zh
    return f" {text}  " if shape.is_header_padded else text


def _as_text_sometimes(value: int | float, row: int, col: int, shape: Shape) -> Cell:
    """``value``, or for a few cells the text a clerk typed instead of a number."""
    if shape.text_numbers == "all":
        return number_text(value)
    if shape.text_numbers != "some":
        return value
    spot = (row * 7 + col * 3) % 29
    if isinstance(value, int) and spot == 0:
        return f"{value:,}"
    if isinstance(value, int) and spot == 11:
        return str(value).translate(FULL_WIDTH)
    if spot == 5:
        return number_text(value)
    return value


def _cell(column: ColumnSpec, value: object, row: int, col: int, shape: Shape) -> Cell:
    """The cell a county writes for ``value`` of ``column``."""
    if value is None:
        return None
    kind = column.kind
    if kind == "code":
        return float(value) if column.name in shape.numeric_codes else value
    if kind == "stage":
        if shape.is_english:
            return value
        return shape.stage_words.get(value, load_rules().stages[value].name_zh)
    if kind == "ownership":
        return value if shape.is_english else {"public": "公办", "private": "民办"}[value]
    if kind == "yes_no":
        return shape.yes_no[0] if value else shape.yes_no[1]
    if kind in ("integer", "number"):
        number = value if kind == "integer" or not float(value).is_integer() else int(value)
        return _as_text_sometimes(number, row, col, shape)
    return value


def _total(frame: pl.DataFrame, columns: list[ColumnSpec], shape: Shape) -> tuple[Cell, ...]:
    """The total row: the label in the first column, each number column's sum, the rest blank."""
    cells: list[Cell] = []
    for i, column in enumerate(columns):
        if i == 0:
            cells.append(shape.total_label)
        elif column.kind == "integer":
            cells.append(int(frame[column.name].sum()))
        elif column.kind == "number":
            total = round(float(frame[column.name].sum()), 2)
            cells.append(int(total) if total.is_integer() else total)
        else:
            cells.append(None)
    return tuple(cells)


def render_table(table: str, frame: pl.DataFrame, shape: Shape, county_name: str, year: int, seed: int) -> list[tuple[Cell, ...]]:
    """Every row of one table's sheet as the county writes it: title lines, header, data rows, total row."""
    spec = TABLES[table]
    columns = list(spec.columns)
    if shape.is_shuffled:
        # The county keeps the code first and moves the rest around.
        rest = columns[1:]
        random.Random(f"{seed}|{county_name}|{table}|columns").shuffle(rest)
        columns = [columns[0], *rest]
    rows: list[tuple[Cell, ...]] = []
    if shape.title_rows >= 1:
        rows.append((f"{year}年{county_name}{TITLES[table]}",))
    if shape.title_rows >= 2:
        rows.append((f"填报单位：{county_name}教育局（盖章）    统计时点：{year}年9月1日",))
    headers: list[Cell] = [_header(c, shape) for c in columns]
    if shape.extra_column:
        headers.append(shape.extra_column)
    rows.append(tuple(headers))
    data = frame.select([c.name for c in columns]).rows()
    for i, values in enumerate(data):
        cells = [_cell(c, v, i, j, shape) for j, (c, v) in enumerate(zip(columns, values, strict=True))]
        if shape.extra_column:
            cells.append(REMARKS[i % len(REMARKS)] or None)
        rows.append(tuple(cells))
    if table in shape.total_tables and data:
        rows.append(_total(frame, columns, shape))
    return rows


def split_by_county(tables: dict[str, pl.DataFrame]) -> dict[str, dict[str, pl.DataFrame]]:
    """County code → that county's rows of every table (keyed by table name, in contract order)."""
    county_of = tables["schools"].select("school_code", "county_code")
    parts: dict[str, dict[str, pl.DataFrame]] = {}
    for name in TABLES:
        frame = tables[name]
        keyed = frame if "county_code" in frame.columns else frame.join(county_of, on="school_code", how="left", maintain_order="left")
        for (county,), rows in keyed.partition_by("county_code", as_dict=True, maintain_order=True).items():
            parts.setdefault(county, {})[name] = rows.select(frame.columns)
    empty = {name: tables[name].clear() for name in TABLES}
    return {county: {name: own.get(name, empty[name]) for name in TABLES} for county, own in parts.items()}


def render_county(
    own: dict[str, pl.DataFrame], county_code: str, county_name: str, year: int, shape: Shape, seed: int
) -> list[Sheet]:
    """Every sheet one county sends for ``year`` (``own``: its rows of each table): one Sheet per table, with its file."""
    folder = f"{year}/{county_code}_{county_name}"
    sheets = []
    for table, frame in own.items():
        spec = TABLES[table]
        name = spec.name if shape.is_english else spec.sheet_zh
        path = {"workbook": f"{folder}.xlsx", "files": f"{folder}/{name}.xlsx", "csv": f"{folder}/{name}.csv"}[shape.layout]
        is_csv = shape.layout == "csv"
        rows = render_table(table, frame, shape, county_name, year, seed)
        sheets.append(
            Sheet(
                path=path,
                name=name,
                rows=tuple(rows),
                title_rows=0 if is_csv else shape.title_rows,
                is_title_merged=shape.is_title_merged,
                width=len(spec.columns) + (1 if shape.extra_column else 0),
            )
        )
    return sheets
