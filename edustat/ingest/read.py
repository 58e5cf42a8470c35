"""The I/O edge of ingest: one input file → its sheets as frames of raw strings, or issues saying why not.

Nothing that a file holds may raise out of ``read_file``: a damaged, empty, encrypted or oversized
file becomes one error issue, and reading goes on with the next file.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import struct
import traceback
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import fastexcel
import polars as pl

from config import Limits
from edustat.ingest.discover import open_input
from edustat.ingest.extent import SheetExtent, worksheet_names
from schemas.issues import empty_issues, issue, issue_frame

_log = logging.getLogger(__name__)

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
"""First bytes of an OLE compound file: an old .xls, or an encrypted (password-protected) .xlsx."""

ZIP_MAGIC = b"PK"

_MIB = 1024 * 1024


PROBLEMS_SHEET = "问题清单 Problems"
"""First sheet of edustat's problem list and of each marked copy: when a marked copy comes back in place of its original,
this sheet is skipped without a warning (and not counted among the workbook's sheets)."""

_PROBLEMS_SHEET_KEYS = {"问题清单", "问题清单problems"}


def is_problems_sheet(name: str) -> bool:
    """Whether a sheet is edustat's own problem list ("问题清单 Problems", or "问题清单" as a clerk may rename it)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name))).casefold() in _PROBLEMS_SHEET_KEYS


@dataclass(frozen=True)
class RawSheet:
    """One sheet (or CSV file) as read: every cell a string or null, no header recognised yet.

    ``data`` has one String column per sheet column, named by its Excel letter ("A", "B", …); its row
    i is the sheet's Excel row ``first_row + i``. ``sheet_count`` is the number of sheets of the
    workbook the sheet came from (1 for a CSV file).
    """

    source_file: str
    source_sheet: str
    data: pl.DataFrame
    first_row: int = 1
    first_column: int = 0
    is_visible: bool = True
    sheet_count: int = 1

    @property
    def file_stem(self) -> str:
        """The file name without folder and extension."""
        return _stem(self.source_file)


@lru_cache(maxsize=256)
def _stem(source_file: str) -> str:
    """The stem of ``source_file``, parsed once per file (every sheet of a workbook asks)."""
    return Path(source_file).stem


@lru_cache(maxsize=1024)
def column_letter(index: int) -> str:
    """Excel column letters of a 0-based column index: 0 → "A", 27 → "AB"."""
    letters = ""
    index += 1
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def relative_name(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` as a posix string (the file name alone when it is not below root)."""
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return Path(path).name


def _file_issue(source_file: str, rule: str, **fields: object) -> pl.DataFrame:
    return issue_frame([issue(rule, "error", source_file=source_file, **fields)])


_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, NotImplementedError, struct.error)
"""What zipfile raises on a damaged or hostile container."""


def _archive_problems(data: bytes, limits: Limits) -> list[tuple[str, dict[str, object]]]:
    """Why a zip container must not be handed to the spreadsheet reader (rule and message fields per problem); empty when it may.

    Its central directory is read once: first the declared sizes are judged, then every member is
    inflated once, checked against its checksum and, for a worksheet, measured (edustat.ingest.extent).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS:
        return [("not_a_workbook", {})]
    with archive:
        refusal = _archive_refusal(archive, len(data), limits)
        if refusal is not None:
            return [refusal]
        return _member_problems(archive, limits)


def _archive_refusal(archive: zipfile.ZipFile, size: int, limits: Limits) -> tuple[str, dict[str, object]] | None:
    """Why a zip container of ``size`` bytes must not be opened, judged from its central directory only; None when it may."""
    declared = sum(max(info.file_size, 0) for info in archive.infolist())
    if declared > limits.max_uncompressed_bytes:
        return "file_too_large", {
            "size_mb": f"{declared / _MIB:.1f}",
            "limit_mb": f"{limits.max_uncompressed_bytes / _MIB:.1f}",
        }
    ratio = declared / size
    if ratio > limits.max_compression_ratio:
        return "compression_ratio_too_high", {"ratio": f"{ratio:.0f}", "limit": f"{limits.max_compression_ratio:g}"}
    return None


def _member_problems(archive: zipfile.ZipFile, limits: Limits) -> list[tuple[str, dict[str, object]]]:
    """The first damaged member, else every worksheet that reaches beyond the sheet limits (named by its sheet).

    Reading is bounded by the declared sizes checked before, so a member that lies about its size
    fails its checksum here instead of expanding without bound inside the spreadsheet reader.
    """
    try:
        sheets = _worksheet_names(archive)
        problems: list[tuple[str, dict[str, object]]] = []
        for info in archive.infolist():
            is_sheet = info.filename in sheets or (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"))
            extent = SheetExtent(limits) if is_sheet else None
            if _member_is_damaged(archive, info, extent):
                return [("unreadable_file", {"detail": f"damaged archive member {info.filename}"})]
            refusal = extent.refusal() if extent is not None else None
            if refusal is not None:
                problems.append(("sheet_too_large", {"source_sheet": sheets.get(info.filename, info.filename), **refusal}))
    except _ZIP_ERRORS as error:
        return [("unreadable_file", {"detail": f"damaged archive member {str(error) or type(error).__name__}"})]
    return problems


def _worksheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Member → sheet name of every worksheet xl/workbook.xml lists; empty when the workbook part is missing or damaged."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        return {}
    rels = archive.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else b""
    return worksheet_names(archive.read("xl/workbook.xml"), rels)


def _member_is_damaged(archive: zipfile.ZipFile, info: zipfile.ZipInfo, extent: SheetExtent | None = None) -> bool:
    """True when one member fails to inflate or to match its checksum, read in bounded chunks (each fed to ``extent``)."""
    # ZipFile.testzip catches only BadZipFile: damaged deflate data raises zlib.error, which
    # would otherwise surface as a bare "Error -3 while decompressing data" instead of the member.
    try:
        with archive.open(info) as member:
            while chunk := member.read(_MIB):
                if extent is not None:
                    extent.feed(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        return True
    if extent is not None:
        extent.close()
    return False


def _is_panic(error: BaseException) -> bool:
    # A Rust panic inside calamine surfaces as pyo3's PanicException, a BaseException subclass.
    return type(error).__name__ == "PanicException"


def _load_sheets(data: bytes, source_file: str) -> tuple[list[RawSheet], list[dict]]:
    reader = fastexcel.read_excel(data)
    # A marked copy sent back carries edustat's problem list first: it is no sheet of the clerk's.
    names = [name for name in reader.sheet_names if not is_problems_sheet(name)]
    sheets: list[RawSheet] = []
    problems: list[dict] = []
    for name in names:
        try:
            # skip_rows=0 keeps leading empty rows (as nulls), so frame row i is Excel row i + 1.
            sheet = reader.load_sheet(name, header_row=None, dtypes="string", skip_rows=0)
            frame = sheet.to_polars()
            absolute = [info.absolute_index for info in sheet.available_columns()]
        except fastexcel.FastExcelError as error:
            problems.append(issue("unreadable_sheet", "error", source_file=source_file, source_sheet=name, detail=_short(error)))
            continue
        except BaseException as error:
            if not _is_panic(error):
                raise
            problems.append(issue("unreadable_sheet", "error", source_file=source_file, source_sheet=name, detail=_short(error)))
            continue
        frame = _as_letter_strings(frame, absolute)
        sheets.append(
            RawSheet(
                source_file=source_file,
                source_sheet=name,
                data=frame,
                first_row=1,
                first_column=min(absolute, default=0),
                is_visible=str(sheet.visible) == "visible",
                sheet_count=len(names),
            )
        )
    return sheets, problems


def _as_letter_strings(frame: pl.DataFrame, absolute: list[int]) -> pl.DataFrame:
    """``frame`` with its columns named by their Excel letters (from their absolute indexes) and typed String."""
    # Renamed in place and cast only where needed: a query per sheet costs more than reading most sheets.
    frame.columns = [column_letter(i) for i in absolute]
    others = [name for name, dtype in zip(frame.columns, frame.dtypes, strict=True) if not isinstance(dtype, pl.String)]
    return frame.with_columns(pl.col(others).cast(pl.String)) if others else frame


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _read_workbook(data: bytes, source_file: str, suffix: str, limits: Limits) -> tuple[list[RawSheet], pl.DataFrame]:
    is_zip = data.startswith(ZIP_MAGIC) or zipfile.is_zipfile(io.BytesIO(data))
    is_ole = data.startswith(OLE_MAGIC)
    if is_zip:
        problems = _archive_problems(data, limits)
        if problems:
            return [], issue_frame([issue(rule, "error", source_file=source_file, **fields) for rule, fields in problems])
    elif suffix == ".xlsx" and not is_ole:
        return [], _file_issue(source_file, "not_a_workbook")
    try:
        sheets, problems = _load_sheets(data, source_file)
    except fastexcel.FastExcelError as error:
        if is_ole and suffix == ".xlsx":
            # An encrypted .xlsx is an OLE container that calamine cannot open as a legacy .xls either.
            return [], _file_issue(source_file, "password_protected")
        return [], _file_issue(source_file, "unreadable_file", detail=_short(error))
    except BaseException as error:
        if not _is_panic(error):
            raise
        return [], _file_issue(source_file, "unreadable_file", detail=_short(error))
    return sheets, issue_frame(problems)


def decode_text(data: bytes) -> str | None:
    """The text of a CSV file: UTF-8 (a BOM dropped), else GB18030 (a superset of GBK); None when neither fits."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def parse_csv(text: str) -> pl.DataFrame:
    """Every record of a CSV text as one row of String columns named A, B, …; short records padded with null."""
    width = max((len(record) for record in csv.reader(io.StringIO(text))), default=0)
    if width == 0:
        return pl.DataFrame()
    # polars takes its width from the first line, so a title line above the header would cut the
    # table to one column; a synthetic header line of the true width avoids that.
    names = [column_letter(i) for i in range(width)]
    header = ",".join(names)
    return pl.read_csv(
        (header + "\n" + text).encode("utf-8"),
        has_header=True,
        infer_schema=False,
    )


def _read_csv(data: bytes, source_file: str) -> tuple[list[RawSheet], pl.DataFrame]:
    text = decode_text(data)
    if text is None:
        return [], _file_issue(source_file, "undecodable_csv")
    try:
        frame = parse_csv(text)
    except (pl.exceptions.PolarsError, csv.Error, ValueError) as error:
        return [], _file_issue(source_file, "unreadable_file", detail=_short(error))
    stem = Path(source_file).stem
    return [RawSheet(source_file=source_file, source_sheet=stem, data=frame)], empty_issues()


def read_file(path: Path, root: Path, limits: Limits) -> tuple[list[RawSheet], pl.DataFrame]:
    """Every sheet of one input file (one RawSheet per sheet; one for a CSV), and the issues of reading it.

    A file that cannot be read safely yields no sheets and one error issue naming the file.
    """
    return read_named_file(Path(path), relative_name(Path(path), Path(root)), limits)


def read_named_file(path: Path, source_file: str, limits: Limits) -> tuple[list[RawSheet], pl.DataFrame]:
    """read_file for a file whose name relative to the input folder (``source_file``) is known already."""
    try:
        return _read_any(Path(path), source_file, limits)
    except Exception as error:
        # Last line of defence of the contract's "no input ends in a traceback": the narrower handlers
        # above name every failure a file can cause, so what reaches here is edustat's own bug. It is
        # not blamed on the clerk's file: an internal error naming where it happened, its traceback logged.
        _log.error("internal error while reading %s", source_file, exc_info=error)
        return [], _file_issue(source_file, "internal_error", detail=f"{type(error).__name__}: {_short(error)} ({_innermost_frame(error)})")


def _innermost_frame(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "no traceback"
    last = frames[-1]
    return f"{Path(last.filename).name}:{last.lineno} in {last.name}"


def _read_any(path: Path, source_file: str, limits: Limits) -> tuple[list[RawSheet], pl.DataFrame]:
    try:
        with open_input(Path(path)) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limits.max_uncompressed_bytes:
                return [], _file_issue(
                    source_file,
                    "file_too_large",
                    size_mb=f"{size / _MIB:.1f}",
                    limit_mb=f"{limits.max_uncompressed_bytes / _MIB:.1f}",
                )
            data = handle.read()
    except OSError as error:
        return [], _file_issue(source_file, "unreadable_file", detail=_short(error))
    if not data:
        return [], _file_issue(source_file, "empty_file")
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return _read_csv(data, source_file)
    return _read_workbook(data, source_file, suffix, limits)
