"""edustat/cli/output.py: CSV and XLSX exports are safe to open in Excel; numbers stay numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import polars as pl
from polars.testing import assert_frame_equal

from edustat.cli.output import OutputFormat, neutralise_formulas, neutralise_text, write_frame


def test_text_cells_that_start_a_formula_get_a_quote() -> None:
    frame = pl.DataFrame(
        {
            "name": ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "ok", "a=b", None],
            "students": [1, 2, 3, 4, 5, 6, 7, 8, 9],
            "value": [-1.5, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, None],
        }
    )
    expected = frame.with_columns(pl.Series("name", ["'=1+1", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "ok", "a=b", None]))
    # Numbers, negative ones included, are untouched and keep their types.
    assert_frame_equal(neutralise_formulas(frame), expected)


def test_categorical_cells_and_column_names_are_neutralised_too() -> None:
    frame = pl.DataFrame({"=cmd": pl.Series(["=2", "b"], dtype=pl.Categorical)})
    assert neutralise_formulas(frame).to_dict(as_series=False) == {"'=cmd": ["'=2", "b"]}
    assert neutralise_text("-x") == "'-x" and neutralise_text("x-") == "x-" and neutralise_text("") == ""


def test_csv_export(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    write_frame(pl.DataFrame({"school_name": ['=HYPERLINK("http://x","y")'], "students": [120]}), OutputFormat.csv, out)
    assert out.read_text(encoding="utf-8-sig") == 'school_name,students\n"\'=HYPERLINK(""http://x"",""y"")",120\n'
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # a CSV file opens in Excel on Chinese Windows (contract §6)


def test_xlsx_export_with_zoned_timestamps(tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    started = dt.datetime(2021, 3, 1, 2, 0, tzinfo=dt.UTC)
    write_frame(pl.DataFrame({"name": ["@x"], "started_at": [started], "value": [95.42]}), OutputFormat.xlsx, out)
    row = [(c.value, c.data_type) for c in openpyxl.load_workbook(out).active[2]]
    # Excel has no time zones: UTC wall time.
    assert row == [("@x", "s"), (dt.datetime(2021, 3, 1, 2, 0), "d"), (95.42, "n")]
