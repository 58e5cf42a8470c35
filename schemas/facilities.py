"""办学条件 (facilities): one row per school — areas, equipment value, computers, books and classrooms, numbers ≥ 0."""

from __future__ import annotations

from schemas.spec import PER_SCHOOL, SCHOOL_CODE, TableSpec, number

FACILITIES = TableSpec(
    name="facilities",
    sheet_zh="办学条件",
    grain=PER_SCHOOL,
    columns=(
        SCHOOL_CODE,
        number("teaching_area_m2", "教学及辅助用房面积", "平方米"),
        number("sports_area_m2", "体育运动场馆面积", "平方米"),
        number("equipment_value_10k_yuan", "教学仪器设备值", "万元"),
        number("computers", "计算机台数", "台"),
        number("books", "图书册数", "册"),
        number("classrooms", "普通教室数", "间"),
        number("multimedia_classrooms", "网络多媒体教室数", "间"),
    ),
)
"""The teaching conditions of one school."""
