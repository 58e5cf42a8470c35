"""Column help of the template: header text, validation and bilingual rule per contract column."""

from __future__ import annotations

from edustat.template.columns import Allowed, column_help, header_text
from schemas.rules import load_rules
from schemas.tables import TABLES


def test_header_text_puts_the_unit_in_full_width_parentheses():
    assert header_text(TABLES["facilities"].column("teaching_area_m2")) == "教学及辅助用房面积（平方米）"
    assert header_text(TABLES["enrollment"].column("students")) == "在校生数"


def test_school_type_codes_come_from_the_rules_with_names_grouped():
    helps = {h.column.name: h for h in column_help(TABLES["schools"], load_rules())}
    school_type = helps["school_type_code"]
    assert school_type.allowed == Allowed("list", tuple(load_rules().school_types))
    assert school_type.rule_zh == "必填；3位代码，从下拉列表选择"
    # 361…366 share one name, as do 511…514, so each run is shown once.
    assert school_type.detail_zh.count("中等职业学校") == 1
    assert "361–366 中等职业学校" in school_type.detail_zh and "511–514 特殊教育学校" in school_type.detail_zh
    assert school_type.detail_zh.startswith("111 幼儿园、211 小学、218 小学教学点")
    assert helps["is_inclusive"].rule_en.startswith("optional; yes or no")
    assert helps["school_code"].allowed == Allowed("length", length=10)
    assert helps["school_name"].allowed is None and helps["school_name"].is_text


def test_staff_sub_counts_say_they_are_bounded_by_teachers():
    helps = {h.column.name: h for h in column_help(TABLES["staff"], load_rules())}
    assert helps["backbone_teachers"].rule_zh == "必填；整数，≥ 0；≤ 专任教师数"
    assert helps["training_sessions"].rule_zh == "必填；整数，≥ 0"
