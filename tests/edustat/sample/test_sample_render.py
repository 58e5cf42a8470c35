"""Rendering one county's table into the cells of its sheet, in the county's own shape."""

from __future__ import annotations

import polars as pl

from edustat.sample.render import number_text, render_table
from edustat.sample.shapes import Shape

ENROLLMENT = pl.DataFrame(
    {
        "school_code": ["2162002001", "2162002002"],
        "stage": ["primary", "preschool"],
        "students": [1500, 40],
        "entrants": [250, 13],
        "classes": [32, 2],
        "classes_56_65": [1, 0],
        "classes_66_plus": [0, 0],
    }
)
FUNDING = pl.DataFrame(
    {
        "school_code": ["2162002001", "2162002002"],
        "stage": ["primary", "senior"],
        "budget_10k_yuan": [523.54, 100.0],
        "public_funds_10k_yuan": [30.05, 12.5],
    }
)


def test_title_header_rows_and_total_row():
    shape = Shape(title_rows=1, units="full", total_tables=("funding",), numeric_codes=("school_code",))
    rows = render_table("funding", FUNDING, shape, "临夏县", 2020, 1)
    assert rows[0] == ("2020年临夏县教育经费情况表",)
    assert rows[1] == ("学校标识码", "学段", "一般公共预算教育支出（万元）", "公用经费拨付（万元）")
    # Codes as the numbers Excel made of them; 100.0 is written as the whole number 100.
    assert rows[2] == (2162002001.0, "小学", 523.54, 30.05)
    assert rows[3] == (2162002002.0, "普通高中", 100, 12.5)
    # 523.54 + 100 = 623.54; 30.05 + 12.5 = 42.55
    assert rows[4] == ("合计", None, 623.54, 42.55)


def test_english_shape_and_yes_no_words():
    security = pl.DataFrame(
        {"school_code": ["2162004001"], "guards": [2], "has_video": [True], "has_alarm": [False],
         "is_closed_campus": [True], "has_police_post": [False]}
    )
    rows = render_table("security", security, Shape(is_english=True, yes_no=("Y", "N")), "永靖县", 2020, 1)
    assert rows == [
        ("school_code", "guards", "has_video", "has_alarm", "is_closed_campus", "has_police_post"),
        ("2162004001", 2, "Y", "N", "Y", "N"),
    ]
    ticks = render_table("security", security, Shape(yes_no=("√", "×"), units="half"), "临夏县", 2020, 1)
    assert ticks[1][2:] == ("√", "×", "√", "×")


def test_text_numbers_padding_and_remarks():
    every = render_table("enrollment", ENROLLMENT, Shape(text_numbers="all", stage_words={"preschool": "学前教育"}), "积石山县", 2020, 1)
    assert every[1] == ("2162002001", "小学", "1500", "250", "32", "1", "0")
    assert every[2][1] == "学前教育"
    padded = render_table("enrollment", ENROLLMENT, Shape(is_header_padded=True, extra_column="备注"), "和政县", 2020, 1)
    assert padded[0][0] == " 学校标识码  "
    assert padded[0][-1] == "备注"
    assert len(padded[1]) == 8
    shuffled = render_table("enrollment", ENROLLMENT, Shape(is_shuffled=True), "广河县", 2020, 1)
    assert shuffled[0][0] == "学校标识码"
    assert sorted(shuffled[0]) == sorted(render_table("enrollment", ENROLLMENT, Shape(), "广河县", 2020, 1)[0])


def test_number_text_drops_trailing_zeros():
    assert number_text(12) == "12"
    assert number_text(12.5) == "12.5"
    assert number_text(1234.56) == "1234.56"
    assert number_text(3.0) == "3"
