import io
import struct
import time
import zipfile
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_builders import write_workbook

from edustat.ingest.read import column_letter, decode_text, read_file
from schemas.rules import load_rules
from tests.examples import examples

LIMITS = load_rules().limits


def _rules_of(issues: pl.DataFrame) -> list[str]:
    return issues["rule"].to_list()


def test_column_letters():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]


def test_leading_empty_rows_and_columns_keep_excel_positions(tmp_path: Path):
    # header written at 0-based (3, 2) → Excel cell C4; data at C5
    path = write_workbook(tmp_path / "a.xlsx", {"人口": [["行政区划代码", "3-5岁人口"], ["622922", 5]]}, first_row=3, first_col=2)
    sheets, issues = read_file(path, tmp_path, LIMITS)
    assert issues.height == 0
    (sheet,) = sheets
    assert (sheet.source_file, sheet.source_sheet, sheet.first_row, sheet.first_column) == ("a.xlsx", "人口", 1, 2)
    assert sheet.data.columns == ["C", "D"]
    # frame row i is Excel row first_row + i: Excel row 4 is index 3
    assert sheet.data.row(3) == ("行政区划代码", "3-5岁人口")
    assert sheet.data.row(4) == ("622922", "5")


def test_numbers_come_back_as_plain_strings(tmp_path: Path):
    path = write_workbook(tmp_path / "n.xlsx", {"x": [[2162000001, 2162000001.0, 1234.5, True]]})
    (sheet,), _ = read_file(path, tmp_path, LIMITS)
    assert sheet.data.row(0) == ("2162000001", "2162000001", "1234.5", "true")


def test_source_file_is_relative_posix_path(tmp_path: Path):
    path = write_workbook(tmp_path / "county" / "康乐县.xlsx", {"人口": [["a"]]})
    (sheet,), _ = read_file(path, tmp_path, LIMITS)
    assert sheet.source_file == "county/康乐县.xlsx"


def test_every_sheet_of_a_workbook_is_read(tmp_path: Path):
    path = write_workbook(tmp_path / "w.xlsx", {"学校名录": [["a"]], "在校生": [["b"]], "Sheet3": []})
    sheets, issues = read_file(path, tmp_path, LIMITS)
    assert [s.source_sheet for s in sheets] == ["学校名录", "在校生", "Sheet3"]
    assert {s.sheet_count for s in sheets} == {3}
    assert issues.height == 0


def test_gbk_csv_with_title_line_keeps_all_columns(tmp_path: Path):
    text = "2020年人口表\n行政区划代码,3-5岁人口,6-11岁人口\n622922,\"5,000\",11000\n"
    path = tmp_path / "康乐县-人口.csv"
    path.write_bytes(text.encode("gbk"))
    (sheet,), issues = read_file(path, tmp_path, LIMITS)
    assert issues.height == 0
    assert sheet.source_sheet == "康乐县-人口"
    assert sheet.data.columns == ["A", "B", "C"]
    assert sheet.data.rows() == [
        ("2020年人口表", None, None),
        ("行政区划代码", "3-5岁人口", "6-11岁人口"),
        ("622922", "5,000", "11000"),
    ]


def test_utf8_bom_csv_drops_the_bom(tmp_path: Path):
    path = tmp_path / "人口.csv"
    path.write_bytes("\ufeff行政区划代码,3-5岁人口\r\n622922,5\r\n".encode("utf-8"))
    (sheet,), issues = read_file(path, tmp_path, LIMITS)
    assert issues.height == 0
    assert sheet.data.row(0) == ("行政区划代码", "3-5岁人口")


def test_decode_text_prefers_utf8_then_gb18030():
    # (a two-character GBK string can happen to be valid UTF-8, so test with a realistic header line)
    header = "学校标识码,学校名称,行政区划代码"
    assert decode_text(header.encode("utf-8")) == header
    assert decode_text(header.encode("gbk")) == header
    assert decode_text(b"\xff\xff\xff\xff") is None


def test_empty_file_is_one_error(tmp_path: Path):
    path = tmp_path / "e.xlsx"
    path.write_bytes(b"")
    sheets, issues = read_file(path, tmp_path, LIMITS)
    assert sheets == []
    assert _rules_of(issues) == ["empty_file"]
    assert issues["severity"].to_list() == ["error"]
    assert issues["source_file"].to_list() == ["e.xlsx"]


def test_xlsx_that_is_not_a_zip_is_one_error(tmp_path: Path):
    path = tmp_path / "g.xlsx"
    path.write_bytes(b"this is just some text, not a workbook" * 10)
    sheets, issues = read_file(path, tmp_path, LIMITS)
    assert sheets == [] and _rules_of(issues) == ["not_a_workbook"]


def test_truncated_xlsx_is_one_error(tmp_path: Path):
    good = write_workbook(tmp_path / "good.xlsx", {"人口": [["行政区划代码"], ["622922"]]}).read_bytes()
    path = tmp_path / "t.xlsx"
    path.write_bytes(good[: len(good) // 2])
    sheets, issues = read_file(path, tmp_path, LIMITS)
    assert sheets == [] and issues.height == 1 and issues["severity"][0] == "error"


def test_encrypted_xlsx_says_password_protected(tmp_path: Path):
    path = tmp_path / "p.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 2048)
    sheets, issues = read_file(path, tmp_path, LIMITS)
    assert sheets == [] and _rules_of(issues) == ["password_protected"]
    assert "password" in issues["message_en"][0] and "密码" in issues["message_zh"][0]


def test_garbage_xls_is_one_error(tmp_path: Path):
    path = tmp_path / "g.xls"
    path.write_bytes(b"<html><table><tr><td>1</td></tr></table></html>")
    sheets, issues = read_file(path, tmp_path, LIMITS)
    assert sheets == [] and _rules_of(issues) == ["unreadable_file"]


def _with_declared_size(data: bytes, size: int) -> bytes:
    """The zip ``data`` with every central-directory entry claiming ``size`` uncompressed bytes."""
    out = bytearray(data)
    start = 0
    while (at := out.find(b"PK\x01\x02", start)) != -1:
        struct.pack_into("<I", out, at + 24, size)
        start = at + 4
    return bytes(out)


def test_zip_claiming_gigabytes_is_refused_fast(tmp_path: Path):
    good = write_workbook(tmp_path / "good.xlsx", {"人口": [["行政区划代码"], ["622922"]]}).read_bytes()
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_with_declared_size(good, 0x7FFF_FFFF))  # each member claims ~2 GiB
    started = time.perf_counter()
    sheets, issues = read_file(path, tmp_path, LIMITS)
    assert time.perf_counter() - started < 1.0
    assert sheets == [] and _rules_of(issues) == ["file_too_large"]


def test_highly_compressed_zip_is_refused_by_ratio(tmp_path: Path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (20 * 1024 * 1024))  # 20 MiB → ~20 kB
    path = tmp_path / "ratio.xlsx"
    path.write_bytes(buffer.getvalue())
    sheets, issues = read_file(path, tmp_path, LIMITS)
    assert sheets == [] and _rules_of(issues) == ["compression_ratio_too_high"]


def test_size_limit_comes_from_config(tmp_path: Path):
    path = write_workbook(tmp_path / "small.xlsx", {"人口": [["行政区划代码"], ["622922"]]})
    tiny = LIMITS.model_copy(update={"max_uncompressed_bytes": 100, "max_compression_ratio": 1000})
    sheets, issues = read_file(path, tmp_path, tiny)
    assert sheets == [] and _rules_of(issues) == ["file_too_large"]


def test_zip_member_lying_about_its_size_is_refused(tmp_path: Path):
    good = write_workbook(tmp_path / "good.xlsx", {"人口": [["行政区划代码"], ["622922"]]}).read_bytes()
    path = tmp_path / "liar.xlsx"
    path.write_bytes(_with_declared_size(good, 3))  # every member claims 3 bytes, expands to more
    sheets, issues = read_file(path, tmp_path, LIMITS)
    assert sheets == [] and issues.height == 1 and issues["severity"][0] == "error"


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".xlsx", ".xls", ".csv"]), zip_prefix=st.booleans())
def test_no_bytes_raise_out_of_read_file(tmp_path: Path, data: bytes, suffix: str, zip_prefix: bool):
    path = tmp_path / f"f{suffix}"
    path.write_bytes((b"PK\x03\x04" if zip_prefix else b"") + data)
    sheets, issues = read_file(path, tmp_path, LIMITS)
    assert isinstance(sheets, list)
    assert issues.columns[0] == "severity"
    assert sheets or issues.height >= 1


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_missing_file_is_an_issue_not_an_exception(tmp_path: Path, suffix: str):
    sheets, issues = read_file(tmp_path / f"gone{suffix}", tmp_path, LIMITS)
    assert sheets == [] and _rules_of(issues) == ["unreadable_file"]


def test_hidden_sheet_is_marked_invisible(tmp_path: Path):
    path = tmp_path / "h.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("人口").write(0, 0, "行政区划代码")
    hidden = workbook.add_worksheet("lists")
    hidden.write(0, 0, "小学")
    hidden.hide()
    workbook.close()
    sheets, _ = read_file(path, tmp_path, LIMITS)
    assert [(s.source_sheet, s.is_visible) for s in sheets] == [("人口", True), ("lists", False)]


def test_broken_deflate_data_names_the_damaged_member(tmp_path: Path):
    # 0xFF bytes at the start of a deflate stream are an invalid block type: zlib raises its own error,
    # which ZipFile.testzip lets through, rather than the checksum mismatch that testzip reports.
    good = write_workbook(tmp_path / "good.xlsx", {"人口": [["行政区划代码"], ["622922"]]}).read_bytes()
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    name_length, extra_length = struct.unpack_from("<HH", good, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    damaged = bytearray(good)
    damaged[start : start + 8] = b"\xff" * 8
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(damaged))
    sheets, issues = read_file(path, tmp_path, LIMITS)
    assert sheets == [] and _rules_of(issues) == ["unreadable_file"]
    assert "damaged archive member xl/worksheets/sheet1.xml" in issues["message_en"][0]


def test_edustats_own_bug_while_reading_is_an_internal_error_not_the_files_fault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import edustat.ingest.read as read_module

    def broken(*_: object) -> None:
        raise KeyError("county_code")

    monkeypatch.setattr(read_module, "_read_csv", broken)
    path = tmp_path / "schools.csv"
    path.write_text("学校标识码\n6229010001\n", encoding="utf-8")
    sheets, issues = read_file(path, tmp_path, load_rules().limits)
    assert sheets == []
    assert _rules_of(issues) == ["internal_error"]
    message = issues.item(0, "message_en")
    assert "KeyError: 'county_code'" in message and "in broken" in message and "not a fault of the file" in message


def _far_corner_workbook(path: Path, row: int, column: int) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("在校生")
    sheet.write_row(0, 0, ["学校标识码", "学段", "在校生数"])
    sheet.write(row, column, "x")
    book.close()


def _edit_first_sheet(source_path: Path, target_path: Path, old: bytes, new: bytes) -> None:
    """A copy of the workbook whose first sheet's XML has ``old`` replaced by ``new`` (which must be there)."""
    with zipfile.ZipFile(source_path) as source, zipfile.ZipFile(target_path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert old in data
                data = data.replace(old, new)
            target.writestr(item, data)


def test_a_sparse_workbook_with_a_cell_at_the_far_corner_is_refused_before_reading(tmp_path: Path) -> None:
    # XFD1048576: the reader would build a 1,048,576 × 16,384 range (hundreds of GB) for one cell.
    path = tmp_path / "bomb.xlsx"
    _far_corner_workbook(path, 1_048_575, 16_383)
    started = time.perf_counter()
    sheets, issues = read_file(path, tmp_path, load_rules().limits)
    elapsed = time.perf_counter() - started
    assert sheets == []
    assert _rules_of(issues) == ["sheet_too_large"]
    assert issues.item(0, "source_file") == "bomb.xlsx" and issues.item(0, "source_sheet") == "在校生"
    assert "1,048,576" in issues.item(0, "message_en") and "16,384" in issues.item(0, "message_en")
    assert elapsed < 30  # generous: a crash or a multi-GB allocation is what this guards against, not speed


def test_a_declared_dimension_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    small = tmp_path / "small.xlsx"
    _far_corner_workbook(small, 2, 2)
    forged = tmp_path / "forged.xlsx"
    _edit_first_sheet(small, forged, b'<dimension ref="A1:C3"/>', b'<dimension ref="A1:XFD1048576"/>')
    assert _rules_of(read_file(forged, tmp_path, load_rules().limits)[1]) == ["sheet_too_large"]


def test_a_sheet_within_the_limits_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ok.xlsx"
    _far_corner_workbook(path, 2, 2)
    sheets, issues = read_file(path, tmp_path, load_rules().limits)
    assert [s.source_sheet for s in sheets] == ["在校生"] and issues.is_empty()


def test_attributes_that_merely_end_in_r_are_not_cell_references(tmp_path: Path) -> None:
    # openpyxl writes data validations as operator="equal": not a reference to column EQUAL.
    path = tmp_path / "validated.xlsx"
    _far_corner_workbook(path, 2, 2)
    patched = tmp_path / "patched.xlsx"
    validation = b'<dataValidations count="1"><dataValidation type="textLength" operator="equal" sqref="A2:A9"/></dataValidations>'
    _edit_first_sheet(path, patched, b"</sheetData>", b"</sheetData>" + validation)
    sheets, issues = read_file(patched, tmp_path, load_rules().limits)
    assert [s.source_sheet for s in sheets] == ["在校生"] and issues.is_empty()
