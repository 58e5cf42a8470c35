"""What the template says about each contract column: header text, help text and the allowed input."""

from __future__ import annotations

from dataclasses import dataclass

from config import Rules
from schemas.tables import ColumnSpec, TableSpec

OWNERSHIP_CHOICES = ("公办", "民办")
"""举办者类型 as the contract spells it in Chinese."""

YES_NO_CHOICES = ("是", "否")
"""The yes/no spelling the template offers (the reader accepts more)."""

# Cross-column rules of contract §2 that a clerk needs to read next to the column (zh, en).
_EXTRA_RULES: dict[tuple[str, str], tuple[str, str]] = {
    ("schools", "school_code"): ("所有学校中唯一", "unique across all schools"),
    ("schools", "county_code"): ("本县的行政区划代码", "the county's region code"),
    ("schools", "is_inclusive"): ("仅民办幼儿园填写；公办视为普惠", "private kindergartens only; public ones count as inclusive"),
    ("enrollment", "students"): ("学前填在园幼儿数", "preschool: children enrolled"),
    ("enrollment", "entrants"): ("≤ 在校生数", "≤ students"),
    ("enrollment", "classes"): ("在校生数 > 0 时须 > 0", "> 0 when students > 0"),
    ("enrollment", "classes_66_plus"): ("与56-65人班数之和 ≤ 班数", "classes_56_65 + classes_66_plus ≤ classes"),
    ("staff", "teachers"): ("≤ 教职工数", "≤ staff"),
    ("funding", "public_funds_10k_yuan"): ("≤ 一般公共预算教育支出", "≤ budget_10k_yuan"),
}
_AT_MOST_TEACHERS = (
    "teachers_above_degree",
    "teachers_senior_title",
    "backbone_teachers",
    "pe_art_teachers",
    "putonghua_qualified",
    "new_teachers",
)
_EXTRA_RULES |= {("staff", name): ("≤ 专任教师数", "≤ teachers") for name in _AT_MOST_TEACHERS}

_GRAIN_ZH = {
    ("school_code",): "每校一行",
    ("school_code", "stage"): "每校每学段一行",
    ("county_code",): "每县一行",
}


@dataclass(frozen=True)
class Allowed:
    """The data validation of one column: a drop-down list, a number ≥ 0, or a text of fixed length."""

    kind: str  # "list" | "integer" | "decimal" | "length"
    choices: tuple[str, ...] = ()
    length: int | None = None


@dataclass(frozen=True)
class ColumnHelp:
    """Everything the template shows about one column: header, format, validation and the bilingual rule."""

    column: ColumnSpec
    header: str
    is_text: bool
    allowed: Allowed | None
    rule_zh: str
    rule_en: str
    detail_zh: str = ""


def header_text(column: ColumnSpec) -> str:
    """The Chinese header a clerk sees, with the unit in full-width parentheses: ``教学及辅助用房面积（平方米）``."""
    return f"{column.header_zh}（{column.unit_zh}）" if column.unit_zh else column.header_zh


def table_grain_zh(table: TableSpec) -> str:
    """The table's grain in Chinese (每校一行 …), falling back to the English grain."""
    return _GRAIN_ZH.get(table.key, table.grain)


def _code_choices(column: ColumnSpec, rules: Rules) -> tuple[str, ...] | None:
    """The configured codes a code column must take, if the configuration lists them."""
    if column.name == "school_type_code":
        return tuple(rules.school_types)
    if column.name == "urban_rural_code":
        return tuple(rules.urban_rural)
    return None


def _school_type_names(rules: Rules) -> str:
    """``111 幼儿园、211 小学…`` with runs of codes of one name shown once (361–366 中等职业学校)."""
    groups: dict[str, list[str]] = {}
    for code, info in rules.school_types.items():
        groups.setdefault(info.name_zh, []).append(code)
    parts = [f"{codes[0]}–{codes[-1]} {name}" if len(codes) > 1 else f"{codes[0]} {name}" for name, codes in groups.items()]
    return "、".join(parts)


def _describe(column: ColumnSpec, rules: Rules) -> tuple[Allowed | None, str, str]:
    """The validation and the bilingual rule text of one column, by its kind."""
    if column.kind == "stage":
        names = tuple(info.name_zh for info in rules.stages.values())
        return Allowed("list", names), "、".join(names), "stage: " + ", ".join(rules.stages)
    if column.kind == "ownership":
        return Allowed("list", OWNERSHIP_CHOICES), "公办或民办", "public or private"
    if column.kind == "yes_no":
        return Allowed("list", YES_NO_CHOICES), "是或否", "yes or no"
    if column.kind == "integer":
        return Allowed("integer"), "整数，≥ 0", "whole number ≥ 0"
    if column.kind == "number":
        unit_zh = f"，单位：{column.unit_zh}" if column.unit_zh else ""
        return Allowed("decimal"), f"数值，≥ 0{unit_zh}", "number ≥ 0"
    if column.kind == "code":
        choices = _code_choices(column, rules)
        if column.name == "school_type_code":
            return Allowed("list", choices or ()), f"{column.digits}位代码，从下拉列表选择", "national school-type code, from the list"
        if choices is not None:
            listed = "、".join(choices)
            return Allowed("list", choices), f"{column.digits}位代码：{listed}", f"{column.digits}-digit code: {', '.join(choices)}"
        if column.digits:
            return Allowed("length", length=column.digits), f"{column.digits}位数字，按文本填写", f"{column.digits}-digit code, as text"
    return None, "文本，不能为空", "text, not empty"


def column_help(table: TableSpec, rules: Rules) -> list[ColumnHelp]:
    """One entry per contract column of ``table``, in contract order."""
    helps = []
    for column in table.columns:
        allowed, rule_zh, rule_en = _describe(column, rules)
        extra = _EXTRA_RULES.get((table.name, column.name))
        if extra:
            rule_zh, rule_en = f"{rule_zh}；{extra[0]}", f"{rule_en}; {extra[1]}"
        required_zh, required_en = ("必填", "required") if column.required else ("选填", "optional")
        helps.append(
            ColumnHelp(
                column=column,
                header=header_text(column),
                is_text=column.kind in ("code", "text"),
                allowed=allowed,
                rule_zh=f"{required_zh}；{rule_zh}",
                rule_en=f"{required_en}; {rule_en}",
                detail_zh=_school_type_names(rules) if column.name == "school_type_code" else "",
            )
        )
    return helps
