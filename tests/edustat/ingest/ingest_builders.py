"""Tiny input files for the ingest tests: workbooks written with xlsxwriter, a valid year of every table."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

HEADERS = {
    "学校名录": ["学校标识码", "学校名称", "行政区划代码", "办学类型代码", "城乡分类代码", "举办者类型", "是否普惠性"],
    "在校生": ["学校标识码", "学段", "在校生数", "招生数", "班数", "56-65人班数", "66人及以上班数"],
    "教职工": [
        "学校标识码", "学段", "教职工数", "专任教师数", "高于规定学历教师数", "中级及以上职称教师数",
        "县级以上骨干教师数", "体育艺术专任教师数", "普通话达标教师数", "当年新招录教师数", "教师培训人次",
    ],
    "安保": ["学校标识码", "专职保安员数", "视频监控", "一键式报警", "封闭式管理", "护学岗"],
    "办学条件": [
        "教学及辅助用房面积（平方米）", "学校标识码", "体育运动场馆面积(平方米)", "教学仪器设备值（万元）",
        "计算机台数", "图书册数", "普通教室数", "网络多媒体教室数",
    ],
    "经费": ["学校标识码", "学段", "一般公共预算教育支出（万元）", "公用经费拨付（万元）"],
    "人口": ["行政区划代码", "3-5岁人口", "6-11岁人口", "12-14岁人口", "15-17岁人口"],
}
"""Chinese headers of every sheet, as a template would write them (facilities deliberately out of order)."""

# Two schools of 康乐县 (622922): a public primary school and a private inclusive kindergarten.
VALID_ROWS = {
    "学校名录": [
        ["2162000001", "康乐县第一小学", "622922", "211", "121", "公办", None],
        ["2162000002", "康乐县阳光幼儿园", "622922", "111", "210", "民办", "是"],
    ],
    "在校生": [
        ["2162000001", "小学", 300, 50, 10, 1, 0],
        ["2162000002", "学前", 90, 30, 3, 0, 0],
    ],
    # pupil-teacher ratios 300/20 = 15 and 90/8 = 11.25, inside 5–40
    "教职工": [
        ["2162000001", "小学", 25, 20, 5, 8, 2, 3, 20, 1, 40],
        ["2162000002", "学前", 10, 8, 1, 2, 0, 1, 8, 2, 10],
    ],
    "安保": [["2162000001", 2, "是", "是", "是", "否"], ["2162000002", 1, "有", "无", "是", "否"]],
    "办学条件": [
        [2400.5, "2162000001", 3000, 85.5, 40, 12000, 12, 10],
        [600, "2162000002", 800, 10, 5, 1500, 4, 3],
    ],
    "经费": [["2162000001", "小学", 500.25, 60.5], ["2162000002", "学前", 120, 20]],
    "人口": [["622922", 5000, 11000, 5200, 5100]],
}


def write_workbook(path: Path, sheets: dict[str, list[list]], *, first_row: int = 0, first_col: int = 0) -> Path:
    """Write ``sheets`` (name → rows, the first row usually the header) starting at the 0-based cell (first_row, first_col)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(first_row + r, first_col + c, value)
    workbook.close()
    return path


def valid_sheets(**replace: list[list]) -> dict[str, list[list]]:
    """Every sheet of a valid year (header + rows), with some sheets' data rows replaced."""
    return {name: [HEADERS[name], *replace.get(name, VALID_ROWS[name])] for name in HEADERS}
