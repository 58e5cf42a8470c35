"""The written sample: byte-for-byte reproducible, and every shape contract §2 allows is in it."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import polars as pl
import pytest
from python_calamine import CalamineWorkbook

from edustat.sample import write_sample

COUNTIES = ["622901", "622921", "622922", "622923", "622924", "622925", "622926", "622927"]


def _digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def _sheet(path: Path, name: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def test_same_seed_same_bytes(written, tmp_path):
    out, files = written
    again = write_sample(tmp_path / "again", [2019, 2020], seed=2021)
    assert len(again) == len(files)
    assert _digests(tmp_path / "again") == _digests(out)
    write_sample(tmp_path / "other", [2020], seed=7)
    assert _digests(tmp_path / "other")["2020/622901_临夏市.xlsx"] != _digests(out)["2020/622901_临夏市.xlsx"]


def test_every_county_and_year_is_written(written):
    out, files = written
    assert all(p.exists() for p in files)
    for year in ("2019", "2020"):
        names = {p.name for p in (out / year).iterdir()}
        for county in COUNTIES:
            assert any(n.startswith(county) for n in names), (year, county)


def test_title_row_and_total_row(written):
    out, _ = written
    rows = _sheet(out / "2020/622901_临夏市.xlsx", "在校生")
    assert rows[0][0] == "2020年临夏市在校生情况表"
    assert rows[1][:3] == ["学校标识码", "学段", "在校生数"]
    total = rows[-1]
    assert total[0] == "合计"
    assert total[2] == sum(r[2] for r in rows[2:-1])


def test_codes_stored_as_numbers_and_full_width_units(written):
    out, _ = written
    rows = _sheet(out / "2020/622921_临夏县.xlsx", "学校名录")
    header = rows.index(next(r for r in rows if r[0] == "学校标识码"))
    assert header == 2
    assert isinstance(rows[header + 1][0], float)
    assert len(str(int(rows[header + 1][0]))) == 10
    facilities = _sheet(out / "2020/622921_临夏县.xlsx", "办学条件")
    assert "教学及辅助用房面积（平方米）" in facilities[2]


def test_numbers_as_text_and_unknown_column(written):
    out, _ = written
    cells = [c for name in ("在校生", "教职工") for r in _sheet(out / "2020/622924_广河县.xlsx", name) for c in r]
    texts = [c for c in cells if isinstance(c, str)]
    assert any("," in c and c.replace(",", "").isdigit() for c in texts)
    assert any(c and all("０" <= ch <= "９" for ch in c) for c in texts)
    assert _sheet(out / "2020/622924_广河县.xlsx", "学校名录")[0][-1] == "备注"


def test_english_county(written):
    out, _ = written
    book = CalamineWorkbook.from_path(str(out / "2020/622923_永靖县.xlsx"))
    assert book.sheet_names == ["schools", "enrollment", "staff", "security", "facilities", "funding", "population"]
    stages = {"preschool", "primary", "junior", "senior", "vocational", "higher_vocational"}
    assert {row[1] for row in book.get_sheet_by_name("enrollment").to_python()[1:]} <= stages


def test_per_table_folder_and_gbk_csv(written):
    out, _ = written
    folder = out / "2020/622922_康乐县"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{n}.xlsx" for n in ("学校名录", "在校生", "教职工", "安保", "办学条件", "经费", "人口")
    )
    assert CalamineWorkbook.from_path(str(folder / "在校生.xlsx")).sheet_names == ["在校生"]
    raw = (out / "2020/622926_东乡族自治县/学校名录.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gb18030")
    assert text.startswith("学校标识码,学校名称")
    assert "\r\n" in text
    assert len(list((out / "2020/622926_东乡族自治县").glob("*.csv"))) == 7


def test_written_values_match_the_generated_ones(written, year_2020):
    out, _ = written
    text = (out / "2020/622926_东乡族自治县/在校生.csv").read_bytes().decode("gb18030")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["学校标识码", "学段", "在校生数"]
    county = year_2020["schools"].filter(pl.col("county_code") == "622926")["school_code"]
    expected = year_2020["enrollment"].filter(pl.col("school_code").is_in(county.implode()))
    assert len(rows) - 1 == expected.height
    assert sum(int(r[2]) for r in rows[1:]) == expected["students"].sum()
