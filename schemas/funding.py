"""经费 (funding): one row per school per stage — budget and public funds (万元), ≥ 0.

Public funds within the budget is a check of config/checks.toml; the template states it next to the column.
"""

from __future__ import annotations

from schemas.spec import PER_SCHOOL_STAGE, SCHOOL_CODE, STAGE, TableSpec, at_most, number

BUDGET = number("budget_10k_yuan", "一般公共预算教育支出", "万元")

FUNDING = TableSpec(
    name="funding",
    sheet_zh="经费",
    grain=PER_SCHOOL_STAGE,
    columns=(SCHOOL_CODE, STAGE, BUDGET, number("public_funds_10k_yuan", "公用经费拨付", "万元", rule=at_most(BUDGET))),
)
"""The funds of one school and stage."""
