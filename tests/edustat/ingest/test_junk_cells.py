"""Random junk in random data cells of a valid workbook: never a traceback, every invalid cell reported where it is, nothing loadable.

The workbook is the two-school year of ``ingest_builders`` (header on row 1, data from row 2).
Hypothesis overwrites a few data cells with text, emoji, formula-like strings, negative, fractional
or huge numbers (as numbers or as text, with separators or full-width digits) and blanks. A small
oracle written from the contract (§2), independent of the ingest code, says which junk makes its
cell invalid; each such cell must come back as an error naming the file, sheet, Excel row, header
and cell, and the year must have errors (so nothing would load).

Whole workbooks: any cell of the county workbook — headers, codes, blank cells beside the tables —
replaced by random text (control characters, very long strings), numbers (huge, tiny, subnormal),
dates, booleans, formulas or nothing, then `edustat validate` in-process: exit 0 or 1, never a
traceback or another exit.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import hypothesis.strategies as st
import polars as pl
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from ingest_builders import HEADERS, VALID_ROWS
from typer.testing import CliRunner

from config import load_regions
from edustat.cli.app import app
from edustat.ingest.stage import stage_year
from schemas.issues import has_errors
from schemas.rules import load_rules
from schemas.tables import TABLES, ColumnSpec
from tests.examples import examples

RULES = load_rules()
REGIONS = load_regions()
FILE = "622922.xlsx"

POISON = "#@?!%&=*😀🎉"
"""Characters that no valid code, number, stage, ownership or yes/no can hold: text with one is invalid there."""

# Code lists of the contract (§1, §2), written out here so the oracle does not lean on config/.
COUNTIES = {"622901", "622921", "622922", "622923", "622924", "622925", "622926", "622927"}
SCHOOL_TYPES = {"111", "211", "218", "311", "312", "341", "342", "345", *map(str, range(361, 367)), "415", *map(str, range(511, 515))}
URBAN_RURAL = {"111", "112", "121", "122", "123", "210", "220"}
CODE_LISTS = {"county_code": COUNTIES, "school_type_code": SCHOOL_TYPES, "urban_rural_code": URBAN_RURAL}

INT64_LIMIT = 2**63
CEILINGS = {column: ceiling.impossible for columns in RULES.ceilings.values() for column, ceiling in columns.items()}
"""The highest plausible value of each numeric column (config/rules.toml [ceilings]); above it a cell is an error."""
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_UNIT = re.compile(r"[（(][^）)]*[）)]$")


def _spec(sheet: str, header: str) -> tuple[str, ColumnSpec]:
    """(table, column) that a header of the builders' workbook names."""
    bare = _UNIT.sub("", header)
    table = next(t for t in TABLES.values() if t.sheet_zh == sheet)
    return table.name, next(c for c in table.columns if c.header_zh == bare)


DATA_CELLS: list[tuple[str, int, int]] = [
    (sheet, row, col)
    for sheet, rows in VALID_ROWS.items()
    for row in range(2, 2 + len(rows))
    for col in range(len(HEADERS[sheet]))
]
"""Every data cell of the workbook: (sheet, Excel row, 0-based column)."""


@dataclass(frozen=True)
class Junk:
    """What goes into one cell: the value written, and the number it stands for when it is one."""

    written: object
    number: float | int | None = None
    is_poison: bool = False

    @property
    def is_blank(self) -> bool:
        """True when the cell reads as empty."""
        return self.written is None or (isinstance(self.written, str) and not self.written.strip())


def _letter(col: int) -> str:
    return chr(ord("A") + col)


def _code_text(junk: Junk) -> str:
    if isinstance(junk.written, float) and junk.written.is_integer():
        return str(int(junk.written))
    return unicodedata.normalize("NFKC", str(junk.written)).strip()


def is_invalid(column: ColumnSpec, junk: Junk) -> bool | None:
    """True when the contract makes ``junk`` an error in ``column`` by itself; False when it is valid; None when it depends on other cells."""
    if junk.is_blank:
        return True if column.required else None
    if column.kind == "text":
        return False
    if junk.is_poison:
        return True
    n = junk.number
    assert n is not None
    match column.kind:
        case "integer":
            return n < 0 or n != int(n) or abs(n) >= INT64_LIMIT or n > CEILINGS[column.name]
        case "number":
            return n < 0 or n > CEILINGS[column.name]
        case "yes_no":
            return n not in (0, 1)
        case "stage" | "ownership":
            return True
        case "code":
            text = _code_text(junk)
            if not re.fullmatch(rf"[0-9]{{{column.digits}}}", text):
                return True
            if column.name in CODE_LISTS:
                return text not in CODE_LISTS[column.name]
            return None  # a well-formed school code: right or wrong depends on the registry
    raise AssertionError(column.kind)


# --- strategies ----------------------------------------------------------------------------------

_TEXT_ALPHABET = "abcXYZ学校数据错误测试中文 0123456789１２３-+.," + POISON

poison_text = st.builds(
    lambda head, mark, tail: Junk(head + mark + tail, is_poison=True),
    st.text(_TEXT_ALPHABET, max_size=6),
    st.sampled_from(list(POISON) + ["=1+1", "=SUM(A1:A3)", "#N/A", "#DIV/0!"]),
    st.text(_TEXT_ALPHABET, max_size=6),
)
blanks = st.sampled_from([Junk(None), Junk(""), Junk("   "), Junk("\u3000")])
numbers = st.one_of(
    st.integers(min_value=-1_000_000, max_value=-1),  # negative counts
    st.integers(min_value=0, max_value=10_000_000),
    st.integers(min_value=10**19, max_value=10**22),  # beyond any Int64
    st.builds(lambda k, f: k + f, st.integers(-1000, 1000), st.sampled_from([0.25, 0.5, 0.75, 0.1])),  # fractions
)


@st.composite
def numeric_junk(draw: st.DrawFn) -> Junk:
    """A number, written as a number cell or as text (plain, with thousands separators, or in full-width digits)."""
    n = draw(numbers)
    form = draw(st.sampled_from(["cell", "text", "thousands", "full_width"]))
    if form == "cell":
        return Junk(n, n)
    text = str(n)
    if form == "thousands" and isinstance(n, int):
        text = f"{n:,}"
    elif form == "full_width":
        text = text.translate(FULL_WIDTH)
    return Junk(text, n)


junk_values = st.one_of(poison_text, blanks, numeric_junk())
junk_cells = st.lists(st.tuples(st.sampled_from(DATA_CELLS), junk_values), min_size=1, max_size=6, unique_by=lambda pair: pair[0])


# --- the workbook --------------------------------------------------------------------------------


def _write(path: Path, junk: dict[tuple[str, int, int], Junk]) -> None:
    """The builders' valid year with ``junk`` written over some data cells; text always as text, never as a formula."""
    book = xlsxwriter.Workbook(str(path))
    for sheet, rows in VALID_ROWS.items():
        ws = book.add_worksheet(sheet)
        for col, header in enumerate(HEADERS[sheet]):
            ws.write_string(0, col, header)
        for r, row in enumerate(rows):
            for col, value in enumerate(row):
                key = (sheet, r + 2, col)
                value = junk[key].written if key in junk else value
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    ws.write_string(r + 1, col, value)
                else:
                    ws.write_number(r + 1, col, value)
    book.close()


def _blank_rows(junk: dict[tuple[str, int, int], Junk]) -> set[tuple[str, int]]:
    """Rows whose every cell the junk blanked: an empty row is no row at all, so its cells have nothing to report."""
    blanked = {(sheet, row, col) for (sheet, row, col), j in junk.items() if j.is_blank}
    return {
        (sheet, row)
        for sheet, row, _ in blanked
        if all((sheet, row, col) in blanked or VALID_ROWS[sheet][row - 2][col] is None for col in range(len(HEADERS[sheet])))
    }


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=junk_cells)
def test_junk_cells_are_each_reported_and_block_the_load(cells: list[tuple[tuple[str, int, int], Junk]]) -> None:
    junk = dict(cells)
    with tempfile.TemporaryDirectory() as folder:
        _write(Path(folder) / FILE, junk)
        staged, issues = stage_year(Path(folder), REGIONS, RULES)  # must not raise, whatever the cells hold

    errors = issues.filter(pl.col("severity") == "error")
    reported = set(errors.select("source_sheet", "source_row", "column_header", "cell").rows())
    assert set(errors["source_file"].drop_nulls()) <= {FILE}
    empty_rows = _blank_rows(junk)
    invalid = []
    for (sheet, row, col), value in junk.items():
        table, column = _spec(sheet, HEADERS[sheet][col])
        if not is_invalid(column, value) or (sheet, row) in empty_rows:
            continue
        invalid.append((sheet, row, col))
        header, cell = HEADERS[sheet][col], f"{_letter(col)}{row}"
        assert (sheet, row, header, cell) in reported, f"{sheet}!{cell} = {value.written!r} not reported"
        if value.is_poison or value.is_blank:
            # An unreadable or empty cell is null in the staged rows: never a silent zero, never the junk.
            frame = getattr(staged, table).filter((pl.col("source_sheet") == sheet) & (pl.col("source_row") == row))
            assert frame[column.name].to_list() == [None]
    if invalid:
        assert has_errors(issues)


def test_the_oracle_agrees_with_the_contract_on_plain_cases() -> None:
    # The oracle is itself code: pin it on cases whose answer the contract states outright.
    students = TABLES["enrollment"].column("students")
    area = TABLES["facilities"].column("teaching_area_m2")
    county = TABLES["schools"].column("county_code")
    video = TABLES["security"].column("has_video")
    inclusive = TABLES["schools"].column("is_inclusive")
    assert is_invalid(students, Junk(-5, -5)) is True  # integer ≥ 0
    assert is_invalid(students, Junk("1,234", 1234)) is False  # thousands separators are accepted
    assert is_invalid(students, Junk("１２３", 123)) is False  # so are full-width digits
    assert is_invalid(students, Junk(2.5, 2.5)) is True
    assert is_invalid(students, Junk(None)) is True  # an empty required cell is missing data
    assert is_invalid(area, Junk(2.5, 2.5)) is False
    assert is_invalid(area, Junk(1e308, 1e308)) is True  # no school has 10⁷ m² (config/rules.toml [ceilings])
    assert is_invalid(students, Junk(10**6, 10**6)) is True
    assert is_invalid(county, Junk(622921, 622921)) is False
    assert is_invalid(county, Junk(620000, 620000)) is True  # the province is not a county
    assert is_invalid(county, Junk("62292", 62292)) is True  # 5 digits
    assert is_invalid(video, Junk(1, 1)) is False and is_invalid(video, Junk(2, 2)) is True
    assert is_invalid(inclusive, Junk(None)) is None
    assert is_invalid(video, Junk("=1+1", is_poison=True)) is True


# --- whole workbooks through `edustat validate` -------------------------------------------------

BATCH_COUNTIES = {"622922": "康乐县", "622923": "永靖县", "622924": "广河县", "622925": "和政县"}
"""Each validate call checks four county workbooks at once, each mutated on its own: 50 calls, 200 mutations."""


def _regions_file() -> str:
    """The prefecture with the batch's counties alone, so that an unmutated batch validates with exit 0."""
    top = [
        '[[region]]\ncode = "620000"\nname_zh = "甘肃省"\nname_en = "Gansu"\nlevel = "province"\n',
        '[[region]]\ncode = "622900"\nname_zh = "临夏回族自治州"\nname_en = "Linxia"\nlevel = "prefecture"\nparent_code = "620000"\n',
    ]
    counties = [
        f'[[region]]\ncode = "{code}"\nname_zh = "{name}"\nname_en = "County {code}"\nlevel = "county"\nparent_code = "622900"\n'
        for code, name in BATCH_COUNTIES.items()
    ]
    return "\n".join(top + counties)


def _county_sheets(county: str) -> dict[str, list[list]]:
    """The builders' workbook as county ``county``'s: its county code, and school codes of its own (2162 + county digits + n)."""
    def own(value: object) -> object:
        if value == "622922":
            return county
        if isinstance(value, str) and value.startswith("216200000"):
            return f"2162{county[-2:]}{value[-4:]}"
        return value

    return {sheet: [HEADERS[sheet], *[[own(v) for v in row] for row in rows]] for sheet, rows in VALID_ROWS.items()}


ANY_CELLS = [
    (sheet, row, col)
    for sheet, rows in VALID_ROWS.items()
    for row in range(len(rows) + 3)
    for col in range(len(HEADERS[sheet]) + 2)
]
"""Every cell of a sheet — header, data rows, and a row and two columns of blank cells around them: (sheet, 0-based row, column)."""


@dataclass(frozen=True)
class Formula:
    """A formula cell with no cached value, as a script writes it."""

    text: str


WORKBOOK_JUNK = st.one_of(
    st.none(),
    st.text(max_size=40),  # any Unicode, control characters included
    st.text(_TEXT_ALPHABET, min_size=1000, max_size=32767),  # up to Excel's longest cell
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e308, -1e308, 1e160, 1e13, 5e-324, 1e-310, 2.2250738585072014e-308, -0.0, math.pi]),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    st.sampled_from([Formula("=1/0"), Formula("=A1&A1"), Formula("=SUM(A1:A3)"), Formula('="6229"&"22"')]),
)
one_mutation = st.dictionaries(st.sampled_from(ANY_CELLS), WORKBOOK_JUNK, min_size=1, max_size=4)
"""One mutation of a county workbook: one to four of its cells replaced (or emptied)."""

batches = st.lists(one_mutation, min_size=len(BATCH_COUNTIES), max_size=len(BATCH_COUNTIES))


def _write_mutated(path: Path, sheets: dict[str, list[list]], changes: dict[tuple[str, int, int], object]) -> None:
    """``sheets`` with ``changes`` written over their cells: each value by its own type (text never as a formula or link)."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    date_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for sheet, rows in sheets.items():
        ws = book.add_worksheet(sheet)
        cells = {(r, c): value for r, row in enumerate(rows) for c, value in enumerate(row)}
        cells |= {(r, c): value for (name, r, c), value in changes.items() if name == sheet}
        for (r, c), value in cells.items():
            if value is None:
                continue
            if isinstance(value, Formula):
                ws.write_formula(r, c, value.text)
            elif isinstance(value, dt.datetime):
                ws.write_datetime(r, c, value, date_format)
            elif isinstance(value, bool):
                ws.write_boolean(r, c, value)
            elif isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write_number(r, c, value)
    book.close()


def _validate_batch(folder: Path, mutations: list[dict[tuple[str, int, int], object]]) -> tuple[int, str, BaseException | None]:
    """The batch's county workbooks, each with its mutation, validated in-process: (exit code, output, crash or None)."""
    year = folder / "2020"
    year.mkdir()
    for (county, name), changes in zip(BATCH_COUNTIES.items(), mutations, strict=True):
        _write_mutated(year / f"{county}_{name}.xlsx", _county_sheets(county), changes)
    (folder / "regions.toml").write_text(_regions_file(), encoding="utf-8")
    env = {"EDUSTAT_REGIONS_FILE": str(folder / "regions.toml"), "EDUSTAT_WAREHOUSE_URL": f"sqlite:///{folder / 'absent.db'}"}
    result = CliRunner().invoke(app, ["validate", "--year", "2020", "--input", str(year), "--out", str(folder / "errors.xlsx")], env=env)
    # CliRunner turns an exception into exit 1: any exception but the command's own exit is a crash.
    crash = None if result.exception is None or isinstance(result.exception, SystemExit) else result.exception
    return result.exit_code, result.output, crash


def test_the_unmutated_county_workbooks_validate_with_exit_0(tmp_path: Path) -> None:
    code, output, crash = _validate_batch(tmp_path, [{} for _ in BATCH_COUNTIES])
    assert (code, crash) == (0, None), output


def test_one_mutated_cell_makes_validate_exit_1_naming_its_file(tmp_path: Path) -> None:
    # The batch must not hide a mutation: an error in the third workbook is found there.
    changes = [{}, {}, {("办学条件", 1, 0): 1e308}, {}]
    code, output, crash = _validate_batch(tmp_path, changes)
    assert (code, crash) == (1, None), output
    assert "622924_广河县.xlsx" in output and "A2" in output


@settings(max_examples=examples(50), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=batches)
def test_mutated_county_workbooks_validate_with_exit_0_or_1_and_no_traceback(mutations: list[dict[tuple[str, int, int], object]]) -> None:
    with tempfile.TemporaryDirectory() as name:
        code, output, crash = _validate_batch(Path(name), mutations)
    assert crash is None, f"{type(crash).__name__}: {crash}"
    assert code in (0, 1), output
    assert "Traceback" not in output
