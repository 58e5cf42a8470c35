"""How each county's files look: the variations real counties send, within what contract §2 accepts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Layout = Literal["workbook", "files", "csv"]


@dataclass(frozen=True)
class Shape:
    """One county's way of filling in its tables (one Shape per county)."""

    layout: Layout = "workbook"
    """workbook: one .xlsx with a sheet per table; files: one .xlsx per table in a folder; csv: one GBK .csv per table."""
    is_english: bool = False
    """Sheet names, headers, stages and ownership in English."""
    title_rows: int = 0
    """Lines above the header (0, 1 or 2): the table's title, then the reporting office."""
    is_title_merged: bool = False
    units: Literal["none", "half", "full"] = "none"
    """Units after number headers: 面积(平方米) or 面积（平方米）."""
    is_header_padded: bool = False
    """Headers with spaces around them."""
    total_label: str = "合计"
    total_tables: tuple[str, ...] = ()
    """Tables that end with a total row holding the column sums."""
    yes_no: tuple[object, object] = ("是", "否")
    numeric_codes: tuple[str, ...] = ()
    """Code columns Excel has stored as numbers (2162001001.0)."""
    text_numbers: Literal["none", "some", "all"] = "none"
    """Numbers stored as text: some cells (with thousands separators or full-width digits), or every cell."""
    is_shuffled: bool = False
    """Columns in another order than the contract's."""
    extra_column: str | None = None
    """A column the contract does not know (a warning, not an error)."""
    stage_words: dict[str, str] = field(default_factory=dict)
    """Stage → the Chinese alias this county writes instead of the stage's name."""


SHAPES: tuple[Shape, ...] = (
    # 临夏市: the tidy one, with a title line and total rows.
    Shape(title_rows=1, units="full", total_tables=("enrollment", "staff", "funding")),
    # 临夏县: a merged two-line title, full-width units, codes Excel turned into numbers, ticks and crosses.
    Shape(title_rows=2, is_title_merged=True, units="full", yes_no=("√", "×"),
          numeric_codes=("school_code", "county_code", "school_type_code", "urban_rural_code")),
    # 康乐县: one workbook per table in a folder.
    Shape(layout="files", yes_no=("有", "无")),
    # 永靖县: everything in English.
    Shape(is_english=True, yes_no=("Y", "N")),
    # 广河县: shuffled columns, a remarks column, some numbers typed as text.
    Shape(units="half", is_shuffled=True, extra_column="备注", text_numbers="some"),
    # 和政县: padded headers, half-width units, 总计 rows on every data table, yes/no as 1/0.
    Shape(title_rows=1, units="half", is_header_padded=True, total_label="总计", yes_no=(1, 0),
          total_tables=("enrollment", "staff", "security", "facilities", "funding")),
    # 东乡族自治县: GBK CSV files, as Excel on Chinese Windows saves them.
    Shape(layout="csv"),
    # 积石山县: every number as text, school codes as numbers, stage aliases, TRUE/FALSE cells.
    Shape(title_rows=1, yes_no=(True, False), numeric_codes=("school_code",), text_numbers="all",
          stage_words={"preschool": "学前教育", "senior": "高中", "vocational": "中等职业教育"}),
)
"""Shapes given to the counties of a region tree in turn (the 8 counties of 临夏州 get one each)."""

TITLES = {
    "schools": "学校基本情况表",
    "enrollment": "在校生情况表",
    "staff": "教职工情况表",
    "security": "学校安保情况表",
    "facilities": "办学条件情况表",
    "funding": "教育经费情况表",
    "population": "适龄人口情况表",
}
"""Words after "{year}年{county}" in a sheet's title line."""

REMARKS = ("", "", "", "", "", "", "寄宿制", "", "新建校舍", "", "", "撤并中", "", "", "", "民族学校")
"""What a clerk writes in a remarks column, cycled by row."""

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
