"""What the template says about each contract column: header text, help text and the allowed input."""

from __future__ import annotations

from dataclasses import dataclass

from config import Rules
from schemas.tables import ColumnSpec, TableSpec

OWNERSHIP_CHOICES = ("公办", "民办")
"""举办者类型 as the contract spells it in Chinese."""

YES_NO_CHOICES = ("是", "否")
"""The yes/no spelling the template offers (the reader accepts more)."""


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
        if column.rule_zh:
            rule_zh, rule_en = f"{rule_zh}；{column.rule_zh}", f"{rule_en}; {column.rule_en}"
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
