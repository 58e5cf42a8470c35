"""Bad input through the yearly flow: every kind of fault is named where it is, rejects the run, is stored, and changes nothing.

A copy of the session's loaded warehouse (rerun_data.base_warehouse) holds the sample's 2019 and 2020. Each
cell-level fault is checked through the library the flow calls (edustat.ingest.stage.stage_year, with the
warehouse's 2019 students for the year-on-year checks): the errors name the file, sheet, Excel row, column
header and cell, and nothing else. That a rejected run is stored and changes nothing is checked for the family
with flow runs: on SQLite by the error-workbook test (two faults), on PostgreSQL by one run holding the
three faults whose issues PostgreSQL must store (text, and NUL characters in a number and in a name).
The six kinds of unreadable file each break a different county's workbook of one shared run (one
flow run instead of six; each kind still has its own test on its own file's error).

Where the faults go (the sample is deterministic, seed 2021; ``_expect_cell`` guards it):
622921_临夏县.xlsx has two title rows, the header on row 3, and in sheet 在校生 the columns
A 学校标识码, B 学段, C 在校生数, D 招生数. Row 8 is school 2162002005, a 211 primary school: 小学,
461 students, 78 entrants; 学校名录 row 8 is its registry row, row 9 that of 2162002006.
"""

from __future__ import annotations

import os
import resource
import shutil
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
import polars as pl
import pytest
import sqlalchemy as sa
from rerun_data import base_warehouse, copy_warehouse

from config import load_regions
from edustat.errorbook.copies import ERROR_FILL
from edustat.ingest.read import PROBLEMS_SHEET, read_file
from edustat.ingest.stage import stage_year
from edustat.outcome import RunOutcome
from flows.yearly import yearly_flow
from schemas.issues import has_errors
from schemas.rules import load_rules
from tests.conftest import POSTGRES_ENV
from tests.flows.bad_files import damage_member, encrypted_xlsx, zip_bomb
from warehouse.read import previous_enrollment as read_previous_enrollment

if TYPE_CHECKING:
    from tests.flows.conftest import LoadedSample

LINXIA = "622921_临夏县.xlsx"
DONGXIANG_ENROLLMENT = "622926_东乡族自治县/在校生.csv"
DONGXIANG_SCHOOLS = "622926_东乡族自治县/学校名录.csv"
ENROLLMENT, SCHOOLS, STAFF = "在校生", "学校名录", "教职工"

Located = tuple[str, str | None, int | None, str | None, str | None, str]
"""(source_file, source_sheet, source_row, column_header, cell, rule) of one error."""


# --- the warehouse -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sqlite_loaded(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory, prefect_api_url: str) -> str:
    """A private copy of the session's SQLite warehouse with the sample's 2019 and 2020 loaded; tests add rejected runs only."""
    base = base_warehouse(sample_dir, tmp_path_factory)
    return copy_warehouse(base, tmp_path_factory.mktemp("bad_input_sqlite") / "warehouse.db")


@pytest.fixture(scope="module")
def postgres_loaded(loaded_sample: LoadedSample, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copy of the test PostgreSQL's warehouse with the sample's 2019 and 2020 loaded; skipped when not configured."""
    kind = os.environ.get(POSTGRES_ENV)
    if kind is None:
        pytest.skip(f"{POSTGRES_ENV} not set")
    with loaded_sample.copy(kind, tmp_path_factory.mktemp("bad_input_postgres")) as url:
        yield url


def _query(url: str, sql: str) -> pl.DataFrame:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return pl.read_database(sa.text(sql), connection)
    finally:
        engine.dispose()


def _warehouse_state(url: str) -> dict[str, pl.DataFrame]:
    """Everything a rejected run must leave alone: current values, every version, the school tables of 2020."""
    return {
        "current": _query(
            url,
            "SELECT year, region_code, indicator_code, value, numerator, denominator, run_id "
            "FROM indicator_current ORDER BY year, region_code, indicator_code",
        ),
        "versions": _query(url, "SELECT COUNT(*) AS n, MAX(value_id) AS last_id FROM indicator_value"),
        "schools": _query(url, "SELECT COUNT(*) AS n FROM schools WHERE year = 2020"),
        "enrollment": _query(url, "SELECT COUNT(*) AS n, SUM(students) AS students FROM enrollment WHERE year = 2020"),
    }


# --- injecting faults ----------------------------------------------------------------------------


def _expect_cell(ws, ref: str, value: object) -> None:
    # If the sample generator changes, fail here rather than test a different cell than the one named.
    assert ws[ref].value == value, f"sample changed: {ws.title}!{ref} is {ws[ref].value!r}, expected {value!r}"


def _edit_linxia(edit: Callable[[openpyxl.Workbook], None]) -> Callable[[Path], None]:
    def inject(folder: Path) -> None:
        book = openpyxl.load_workbook(folder / LINXIA)
        edit(book)
        book.save(folder / LINXIA)

    return inject


def _set_cell(sheet: str, ref: str, was: object, value: object) -> Callable[[Path], None]:
    def edit(book: openpyxl.Workbook) -> None:
        _expect_cell(book[sheet], ref, was)
        book[sheet][ref] = value

    return _edit_linxia(edit)


def _delete_registry_row(book: openpyxl.Workbook) -> None:
    _expect_cell(book[SCHOOLS], "A8", 2162002005)
    book[SCHOOLS].delete_rows(8)


def _delete_entrants_column(book: openpyxl.Workbook) -> None:
    _expect_cell(book[ENROLLMENT], "D3", "招生数")
    book[ENROLLMENT].delete_cols(4)


def _csv_replace(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def inject(folder: Path) -> None:
        path = folder / relative
        raw = path.read_bytes()
        encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "gb18030"
        text = raw.decode(encoding)
        assert text.count(old) == 1, f"sample changed: {old!r} not once in {relative}"
        path.write_bytes(text.replace(old, new).encode(encoding))

    return inject


# --- the faults ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """One injected fault: how to inject it, every error it must give (exactly), words its messages must hold,
    and rows no warning may point at (a bad cell is an error, not also a bogus ratio or change)."""

    inject: Callable[[Path], None]
    errors: frozenset[Located]
    message_has: tuple[str, ...] = field(default=())
    quiet_rows: frozenset[tuple[str, str, int]] = field(default=frozenset())


SCHOOL_ROW_8 = frozenset({(LINXIA, ENROLLMENT, 8), (LINXIA, STAFF, 8)})
"""Where a students-change or pupil-teacher-ratio warning about school 2162002005 would point."""


def _unknown_school(row: int) -> frozenset[Located]:
    # Every data table of 临夏县 has the school's rows at the same Excel row as the registry.
    return frozenset((LINXIA, sheet, row, "学校标识码", f"A{row}", "unknown_school") for sheet in ("在校生", "教职工", "安保", "办学条件", "经费"))


FAULTS: dict[str, Fault] = {
    "negative_count": Fault(
        _set_cell(ENROLLMENT, "C8", 461, -5),
        frozenset({(LINXIA, ENROLLMENT, 8, "在校生数", "C8", "negative_value")}),
        ("students (-5) must not be negative", "在校生数（-5）不能为负数"),
        SCHOOL_ROW_8,
    ),
    "entrants_above_students": Fault(
        _set_cell(ENROLLMENT, "D8", 78, 999),
        frozenset({(LINXIA, ENROLLMENT, 8, "招生数", "D8", "entrants_exceed_students")}),
        ("entrants (999) exceed students (461)",),
    ),
    "school_missing_from_registry": Fault(
        _edit_linxia(_delete_registry_row),
        _unknown_school(8),
        ("'2162002005' is not in the schools table",),
    ),
    "code_typed_twice": Fault(
        # The clerk typed row 8's code again on row 9: both rows clash, and 2162002006's data rows lose their school.
        _set_cell(SCHOOLS, "A9", 2162002006, 2162002005),
        frozenset({(LINXIA, SCHOOLS, 8, "学校标识码", "A8", "duplicate_key"), (LINXIA, SCHOOLS, 9, "学校标识码", "A9", "duplicate_key")})
        | _unknown_school(9),
        (f"also at: {LINXIA} [{SCHOOLS}] row 9", f"also at: {LINXIA} [{SCHOOLS}] row 8"),
    ),
    "column_deleted": Fault(
        # A missing column has no cell and no header as written: the error sits on the header row and names the column.
        _edit_linxia(_delete_entrants_column),
        frozenset({(LINXIA, ENROLLMENT, 3, None, None, "missing_column")}),
        ("required column entrants (招生数) is missing (header row 3)", "缺少必填列“招生数”"),
    ),
    "stage_not_fitting_school": Fault(
        _set_cell(ENROLLMENT, "B8", "小学", "普通高中"),
        frozenset({(LINXIA, ENROLLMENT, 8, "学段", "B8", "stage_not_allowed")}),
        ("a school of type 211 cannot report stage senior", "不能有学段“普通高中”"),
    ),
    "text_in_number_cell": Fault(
        _set_cell(ENROLLMENT, "C8", 461, "四百六十一"),
        frozenset({(LINXIA, ENROLLMENT, 8, "在校生数", "C8", "not_a_number")}),
        ("students '四百六十一' is not a number",),
        SCHOOL_ROW_8,
    ),
    "text_in_number_cell_of_a_csv": Fault(
        # CSV row n is Excel row n: the header is line 1, school 2162007001's primary row line 2.
        _csv_replace(DONGXIANG_ENROLLMENT, "2162007001,小学,69,", "2162007001,小学,六十九,"),
        frozenset({(DONGXIANG_ENROLLMENT, ENROLLMENT, 2, "在校生数", "C2", "not_a_number")}),
        ("students '六十九' is not a number",),
    ),
    "nul_in_number_cell_of_a_csv": Fault(
        # PostgreSQL cannot store a NUL: it must be a cell error, not a failed COPY of the issues.
        _csv_replace(DONGXIANG_ENROLLMENT, "2162007001,小学,69,", "2162007001,小学,6\x009,"),
        frozenset({(DONGXIANG_ENROLLMENT, ENROLLMENT, 2, "在校生数", "C2", "invalid_character")}),
        ("students '6␀9' holds an invisible NUL character", "含有不可见的 NUL 字符"),
    ),
    "nul_in_school_name": Fault(
        # A NUL inside an otherwise valid name: the schools rows are staged while parsing, so it must not reach their COPY either.
        _csv_replace(DONGXIANG_SCHOOLS, "2162007001,东乡族自治县水庄镇小塬教学点,", "2162007001,东乡族自治县水庄镇\x00小塬教学点,"),
        frozenset({(DONGXIANG_SCHOOLS, SCHOOLS, 2, "学校名称", "B2", "invalid_character")}),
        ("'东乡族自治县水庄镇␀小塬教学点' holds an invisible NUL character",),
    ),
    "empty_cell": Fault(
        _set_cell(ENROLLMENT, "C8", 461, None),
        frozenset({(LINXIA, ENROLLMENT, 8, "在校生数", "C8", "missing_value")}),
        ("students is empty (required)",),
        SCHOOL_ROW_8,
    ),
}


def _located_errors(issues: pl.DataFrame) -> set[Located]:
    errors = issues.filter(pl.col("severity") == "error")
    return set(errors.select("source_file", "source_sheet", "source_row", "column_header", "cell", "rule").rows())


@dataclass(frozen=True)
class Rejection:
    """One flow run on a broken copy of 2020: what it returned, what the warehouse held before and after, what it stored."""

    outcome: RunOutcome
    before: dict[str, pl.DataFrame]
    after: dict[str, pl.DataFrame]
    run: tuple
    stored: pl.DataFrame


def _run_on(url: str, folder: Path) -> Rejection:
    """Run the flow for 2020 on ``folder`` against the warehouse at ``url`` (already set in the environment)."""
    before = _warehouse_state(url)
    outcome = yearly_flow(year=2020, input_dir=str(folder), reason="bad input test")
    run = _query(url, f"SELECT status, year, error_count FROM etl_run WHERE run_id = {outcome.run_id}").row(0)
    stored = _query(
        url,
        "SELECT severity, table_name, source_file, source_sheet, source_row, column_header, cell, value, rule, message_zh, message_en "
        f"FROM validation_issue WHERE run_id = {outcome.run_id}",
    )
    return Rejection(outcome, before, _warehouse_state(url), run, stored)


def _assert_rejected_and_unchanged(rejection: Rejection) -> None:
    """Rejected, recorded as rejected with every problem stored as found, and not one value or row changed."""
    outcome = rejection.outcome
    assert outcome.status == "rejected", outcome.message
    assert rejection.before["current"].height > 500  # there were values to protect (one year holds ~600)
    assert rejection.run == ("rejected", 2020, outcome.error_count)
    assert sorted(rejection.stored.rows(), key=repr) == sorted(outcome.issues.rows(), key=repr)
    for name, frame in rejection.before.items():
        assert rejection.after[name].equals(frame), f"{name} changed by a rejected run"


def _assert_names(issues: pl.DataFrame, words: tuple[str, ...]) -> None:
    messages = " | ".join(issues["message_en"].to_list() + issues["message_zh"].to_list())
    for text in words:
        assert text in messages


def _reject_and_check(url: str, sample_dir: Path, tmp_path: Path, fault: Fault, monkeypatch: pytest.MonkeyPatch) -> RunOutcome:
    """Run the flow on a copy of 2020 with ``fault`` injected; check rejection, location, storage and no change."""
    monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", url)
    folder = tmp_path / "2020"
    shutil.copytree(sample_dir / "2020", folder)
    fault.inject(folder)
    rejection = _run_on(url, folder)
    _assert_rejected_and_unchanged(rejection)
    issues = rejection.outcome.issues
    assert _located_errors(issues) == set(fault.errors)
    _assert_names(issues, fault.message_has)
    warned = set(issues.filter(pl.col("severity") == "warning").select("source_file", "source_sheet", "source_row").rows())
    assert not warned & fault.quiet_rows
    return rejection.outcome


def _check_located(issues: pl.DataFrame, fault: Fault) -> None:
    """The fault's errors exactly, its words in the messages, and no warning pointing at a row it keeps quiet."""
    assert has_errors(issues)  # the errors block the load
    assert _located_errors(issues) == set(fault.errors)
    _assert_names(issues, fault.message_has)
    warned = set(issues.filter(pl.col("severity") == "warning").select("source_file", "source_sheet", "source_row").rows())
    assert not warned & fault.quiet_rows


@pytest.fixture(scope="module")
def enrollment_2019(sqlite_loaded: str) -> pl.DataFrame:
    """The loaded 2019 students per school and stage, which the flow's year-on-year checks of 2020 compare with."""
    engine = sa.create_engine(sqlite_loaded)
    try:
        previous = read_previous_enrollment(engine, 2020)
    finally:
        engine.dispose()
    assert previous.height > 1000  # 2019 is loaded: the year-on-year warnings are checked, not skipped
    return previous


@pytest.mark.parametrize("kind", list(FAULTS))
def test_each_fault_is_located_and_blocks_the_load(kind: str, enrollment_2019: pl.DataFrame, sample_dir: Path, tmp_path: Path) -> None:
    # The validation the flow runs (stage_year reads and combines as the flow's parse and validate_year do);
    # that a blocked run is rejected, stored and changes nothing is the family's flow tests' job (module docstring).
    folder = tmp_path / "2020"
    shutil.copytree(sample_dir / "2020", folder)
    FAULTS[kind].inject(folder)
    _, issues = stage_year(folder, load_regions(), load_rules(), previous_enrollment=enrollment_2019)
    _check_located(issues, FAULTS[kind])


POSTGRES_FAMILY = ("text_in_number_cell", "nul_in_number_cell_of_a_csv", "nul_in_school_name")
"""Faults whose issues PostgreSQL must store as found (a NUL cannot be stored as text there): in different cells, so one run holds them all."""


def test_postgres_rejects_the_same_way(postgres_loaded: str, sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    faults = [FAULTS[kind] for kind in POSTGRES_FAMILY]

    def inject(folder: Path) -> None:
        for fault in faults:
            fault.inject(folder)

    together = Fault(
        inject,
        frozenset().union(*(fault.errors for fault in faults)),
        tuple(word for fault in faults for word in fault.message_has),
        frozenset().union(*(fault.quiet_rows for fault in faults)),
    )
    _reject_and_check(postgres_loaded, sample_dir, tmp_path, together, monkeypatch)


# --- files that are no readable workbook ---------------------------------------------------------


@dataclass(frozen=True)
class BrokenFile:
    """One county workbook replaced by bytes made from it, the rule its one error must carry, and words of the message."""

    file: str
    make: Callable[[bytes], bytes]
    rule: str
    message_has: tuple[str, ...]


BROKEN_FILES: dict[str, BrokenFile] = {
    "corrupted": BrokenFile(LINXIA, damage_member, "unreadable_file", ("damaged archive member xl/worksheets/sheet2.xml",)),
    "not_a_zip": BrokenFile(
        "622901_临夏市.xlsx", lambda _: "学校标识码,学段\n这不是工作簿\n".encode() * 20, "not_a_workbook", ("not a valid .xlsx workbook",)
    ),
    "password_protected": BrokenFile("622923_永靖县.xlsx", encrypted_xlsx, "password_protected", ("password-protected", "密码")),
    "truncated": BrokenFile("622924_广河县.xlsx", lambda data: data[: len(data) // 2], "not_a_workbook", ("not a valid .xlsx",)),
    "zip_bomb": BrokenFile("622925_和政县.xlsx", zip_bomb, "file_too_large", ("expands to 1056.0 MB, beyond the limit of 256.0 MB",)),
    "empty": BrokenFile("622927_积石山保安族东乡族撒拉族自治县.xlsx", lambda _: b"", "empty_file", ("the file is empty", "文件为空")),
}
"""Each kind of unreadable file, each in a different county's workbook."""


@pytest.fixture(scope="module")
def unreadable_files_run(sqlite_loaded: str, sample_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Rejection:
    """One flow run on 2020 with every workbook of BROKEN_FILES broken its own way."""
    root = tmp_path_factory.mktemp("unreadable")
    folder = root / "2020"
    shutil.copytree(sample_dir / "2020", folder)
    for broken in BROKEN_FILES.values():
        path = folder / broken.file
        path.write_bytes(broken.make(path.read_bytes()))
    with pytest.MonkeyPatch.context() as patch:
        # Module scope runs before the per-test fixture that keeps error workbooks in tmp.
        patch.setenv("EDUSTAT_WAREHOUSE_URL", sqlite_loaded)
        patch.setenv("EDUSTAT_ERROR_WORKBOOK_DIR", str(root / "errors"))
        return _run_on(sqlite_loaded, folder)


@pytest.mark.parametrize("kind", list(BROKEN_FILES))
def test_each_unreadable_file_is_named_rejected_stored_and_changes_nothing(kind: str, unreadable_files_run: Rejection) -> None:
    broken = BROKEN_FILES[kind]
    _assert_rejected_and_unchanged(unreadable_files_run)
    issues = unreadable_files_run.outcome.issues.filter(pl.col("source_file") == broken.file)
    # One error naming the file alone (no sheet, row or cell can be named), and nothing else about that file.
    assert _located_errors(issues) == {(broken.file, None, None, None, None, broken.rule)}
    assert issues.height == 1
    _assert_names(issues, broken.message_has)
    # Every other error of the run is another broken file's: no echo (unknown schools, missing population) of the lost rows.
    others = {b.file for b in BROKEN_FILES.values()}
    assert set(unreadable_files_run.outcome.issues.filter(pl.col("severity") == "error")["source_file"]) == others


def test_error_workbook_marks_the_offending_cells(
    sqlite_loaded: str, sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two faults in two sheets: text in 在校生!C8 and a negative count in 教职工!D10 (专任教师数 10).
    def inject(folder: Path) -> None:
        _set_cell(ENROLLMENT, "C8", 461, "四百六十一")(folder)
        _set_cell(STAFF, "D10", 10, -3)(folder)

    fault = Fault(
        inject,
        frozenset(
            {
                (LINXIA, ENROLLMENT, 8, "在校生数", "C8", "not_a_number"),
                (LINXIA, STAFF, 10, "专任教师数", "D10", "negative_value"),
            }
        ),
    )
    outcome = _reject_and_check(sqlite_loaded, sample_dir, tmp_path, fault, monkeypatch)
    assert outcome.error_workbook is not None
    assert Path(outcome.error_workbook).parent == tmp_path / "errors"
    book = openpyxl.load_workbook(outcome.error_workbook)
    assert book.sheetnames == [PROBLEMS_SHEET]
    # The marked copy of the county's workbook is beside the list, in the folder named like it: the list first, then its sheets.
    marked = openpyxl.load_workbook(Path(outcome.error_workbook).with_suffix("") / LINXIA)
    assert marked.sheetnames[0] == PROBLEMS_SHEET
    for sheet, ref, value, words, clean in (
        (ENROLLMENT, "C8", "四百六十一", "is not a number", ("C7", "D8")),
        (STAFF, "D10", -3, "must not be negative", ("D9", "C10")),
    ):
        ws = marked[sheet]
        cell = ws[ref]
        assert cell.value == value
        assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb == ERROR_FILL.fgColor.rgb
        assert cell.comment is not None and words in cell.comment.text
        for other in clean:
            assert ws[other].comment is None and ws[other].fill.fill_type is None
        # The copy keeps the clerk's layout: the title row is where it was.
        assert ws["A1"].value == f"2020年临夏县{sheet}情况表"
    problems = book[PROBLEMS_SHEET]
    listed = {(row[2], row[3], row[4], row[6]) for row in problems.iter_rows(min_row=3, values_only=True) if row[1] and "Error" in row[1]}
    assert listed == {(LINXIA, ENROLLMENT, 8, "C8"), (LINXIA, STAFF, 10, "D10")}


def test_zip_bomb_is_refused_in_under_a_second_with_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(zip_bomb())
    assert path.stat().st_size < 60_000  # ~35 kB on disk
    with zipfile.ZipFile(path) as archive:
        assert sum(info.file_size for info in archive.infolist()) > 1 << 30  # > 1 GiB once inflated
        with archive.open(archive.infolist()[0]) as member:  # the shared member is real: 32 MiB, CRC checked at its end
            assert sum(len(chunk) for chunk in iter(lambda: member.read(1 << 20), b"")) == 32 << 20
    limits = load_rules().limits
    rss_before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    try:
        sheets, issues = read_file(path, tmp_path, limits)
        elapsed_s = time.perf_counter() - started
        _, peak_bytes = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sheets == [] and issues["rule"].to_list() == ["file_too_large"]
    assert elapsed_s < 1.0
    assert peak_bytes < 50 * 1024 * 1024
    # ru_maxrss is the process's high-water mark in KiB: inflating the archive would raise it by about 1 GiB.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before_kib < 200 * 1024


# --- a file the process may not read -------------------------------------------------------------


def test_a_file_the_process_may_not_read_is_a_file_error_of_a_rejected_run(
    sqlite_loaded: str, postgres_url_or_none: str | None, sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PermissionError on opening one input file, as for a file without read permission.

    The tests run as root, whom chmod 000 does not stop; the error is raised where the process opens
    files (builtins.open / io.open, used by the fingerprint and by the reader), for that path only.
    """
    import builtins
    import io

    folder = tmp_path / "2020"
    shutil.copytree(sample_dir / "2020", folder)
    locked = (folder / LINXIA).resolve()
    real_open = io.open

    def guarded_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(file, (str, os.PathLike)) and Path(file).resolve() == locked:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    for url in filter(None, (sqlite_loaded, postgres_url_or_none)):
        monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", url)
        rejection = _run_on(url, folder)
        _assert_rejected_and_unchanged(rejection)
        issues = rejection.outcome.issues.filter(pl.col("severity") == "error")
        assert _located_errors(issues) == {(LINXIA, None, None, None, None, "unreadable_file")}
        _assert_names(issues, ("Permission denied",))


@pytest.fixture
def postgres_url_or_none(request: pytest.FixtureRequest) -> str | None:
    """The PostgreSQL warehouse of this module when the test server is configured, else None (SQLite alone then)."""
    if os.environ.get(POSTGRES_ENV) is None:
        return None
    return request.getfixturevalue("postgres_loaded")
