"""Chinese column headers of exported tables (`--lang zh`): the codes keep their own columns, only the headers change."""

from __future__ import annotations

from functools import cache

import polars as pl

EXPORT_HEADERS_ZH: dict[str, str] = {
    "year": "年度",
    "region_code": "区划代码",
    "region_level": "区划层级",
    "region_name_zh": "地区名称",
    "region_name_en": "地区英文名称",
    "is_partial": "仅含所列下级",
    "indicator_code": "指标代码",
    "indicator_name_zh": "指标名称",
    "indicator_name_en": "指标英文名称",
    "section": "部分",
    "section_name_zh": "部分名称",
    "kind": "类型",
    "levels": "计算层级",
    "unit": "单位代码",
    "unit_zh": "单位",
    "unit_en": "英文单位",
    "name_zh": "名称",
    "name_en": "英文名称",
    "definition_zh": "定义",
    "definition_en": "英文定义",
    "value": "数值",
    "numerator": "分子",
    "denominator": "分母",
    "run_id": "运行编号",
    "is_complete": "数据完整",
    "completeness": "缺报情况",
    "published": "报告数值",
    "matches": "与报告一致",
    "version": "版本",
    "run_year": "运行年度",
    "started_at": "开始时间",
    "finished_at": "结束时间",
    "started": "开始时间",
    "trigger": "触发方式",
    "reason": "原因",
    "status": "状态",
    "is_current": "当前值",
    "is_removed": "已删除",
    "previous_value": "上一版本数值",
    "change": "变化",
    "run_a": "运行A",
    "run_b": "运行B",
    "value_a": "A数值",
    "value_b": "B数值",
    "change_value": "数值变化",
    "numerator_a": "A分子",
    "numerator_b": "B分子",
    "denominator_a": "A分母",
    "denominator_b": "B分母",
    "duration_s": "耗时（秒）",
    "error_count": "错误数",
    "warning_count": "警告数",
    "values_added": "新增值数",
    "values_changed": "变化值数",
    "values_unchanged": "未变值数",
    "values_removed": "删除值数",
    "flow_run_url": "Prefect 运行地址",
    "message": "说明",
    "county_code": "县级区划代码",
    "county_name": "县名称",
    "students": "学生数",
    "table_name": "表名",
    "column_name": "列名",
    "data_type": "数据类型",
    "relation": "表或视图",
    "relation_kind": "类别",
}
"""The Chinese header of each column edustat exports, by column name (the English header is the name itself)."""


@cache
def headers_zh() -> dict[str, str]:
    """Every column's Chinese header: the export columns above, then each contract table's own header (学校名称…)."""
    from schemas.tables import TABLES

    contract = {column.name: column.header_zh for spec in TABLES.values() for column in spec.columns}
    return contract | EXPORT_HEADERS_ZH


def with_headers(frame: pl.DataFrame, lang: str | None) -> pl.DataFrame:
    """``frame`` with Chinese headers when ``lang`` is zh (columns without one, such as a query's own aliases, keep their name)."""
    if lang != "zh":
        return frame
    known = headers_zh()
    renamed: dict[str, str] = {}
    taken = set(frame.columns)
    for name in frame.columns:
        header = known.get(name)
        # Two columns must never end up with one header (a query may select both 学校名称 and school_name).
        if header is not None and header not in taken:
            renamed[name] = header
            taken.add(header)
    return frame.rename(renamed)
