"""学校名录 (schools): one row per school — its columns, and the checks whose code lists live in config/rules.toml."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import polars as pl

from schemas.spec import COUNTY_CODE, PER_SCHOOL, SCHOOL_CODE, ColumnCheck, ColumnSpec, TableSpec, one_of

if TYPE_CHECKING:
    from config import Rules


def _inclusive_answered(rules: Rules) -> pl.Expr:
    """Every private kindergarten answers is_inclusive."""
    kindergartens = list(rules.school_groups.kindergartens)
    is_private_kindergarten = (pl.col("ownership") == "private") & pl.col("school_type_code").is_in(kindergartens)
    return ~is_private_kindergarten.fill_null(False) | pl.col("is_inclusive").is_not_null()


SCHOOLS = TableSpec(
    name="schools",
    sheet_zh="学校名录",
    grain=PER_SCHOOL,
    columns=(
        replace(SCHOOL_CODE, rule_zh="所有学校中唯一", rule_en="unique across all schools"),
        ColumnSpec("school_name", "学校名称", "text"),
        replace(COUNTY_CODE, rule_zh=f"本县的{COUNTY_CODE.header_zh}", rule_en="the county's region code"),
        ColumnSpec("school_type_code", "办学类型代码", "code", digits=3),
        ColumnSpec("urban_rural_code", "城乡分类代码", "code", digits=3),
        ColumnSpec("ownership", "举办者类型", "ownership"),
        # Only private kindergartens must answer; public schools count as inclusive.
        ColumnSpec(
            "is_inclusive", "是否普惠性", "yes_no", required=False,
            rule_zh="仅民办幼儿园填写；公办视为普惠", rule_en="private kindergartens only; public ones count as inclusive",
        ),
    ),
    checks=(
        ColumnCheck("school_type_code", "unknown_school_type", lambda rules: one_of("school_type_code", list(rules.school_types))),
        ColumnCheck("urban_rural_code", "unknown_urban_rural", lambda rules: one_of("urban_rural_code", list(rules.urban_rural))),
        # ignore_na=False: the failing cells are exactly the empty ones.
        ColumnCheck("is_inclusive", "inclusive_required", _inclusive_answered, ignore_na=False),
    ),
)
"""The registry of schools: every other school table's rows belong to one of its schools."""
