"""安保 (security): one row per school — guards (≥ 0) and four yes/no answers."""

from __future__ import annotations

from schemas.spec import PER_SCHOOL, SCHOOL_CODE, TableSpec, integer, yes_no

SECURITY = TableSpec(
    name="security",
    sheet_zh="安保",
    grain=PER_SCHOOL,
    columns=(
        SCHOOL_CODE,
        integer("guards", "专职保安员数"),
        yes_no("has_video", "视频监控"),
        yes_no("has_alarm", "一键式报警"),
        yes_no("is_closed_campus", "封闭式管理"),
        yes_no("has_police_post", "护学岗"),
    ),
)
"""Guards and campus security of one school."""
