"""教职工 (staff): one row per school per stage — staff and teachers, counts ≥ 0.

teachers ≤ staff and each sub-count of teachers ≤ teachers are checks of config/checks.toml (its
exceeds_teachers entry lists TEACHER_SUB_COUNTS); the template states them next to the columns.
"""

from __future__ import annotations

from schemas.spec import PER_SCHOOL_STAGE, SCHOOL_CODE, STAGE, TableSpec, at_most, integer

STAFF_COUNT = integer("staff", "教职工数")
TEACHERS = integer("teachers", "专任教师数", rule=at_most(STAFF_COUNT))

_TEACHER_SUB_COUNTS = tuple(
    integer(name, header_zh, rule=at_most(TEACHERS))
    for name, header_zh in (
        ("teachers_above_degree", "高于规定学历教师数"),
        ("teachers_senior_title", "中级及以上职称教师数"),
        ("backbone_teachers", "县级以上骨干教师数"),
        ("pe_art_teachers", "体育艺术专任教师数"),
        ("putonghua_qualified", "普通话达标教师数"),
        ("new_teachers", "当年新招录教师数"),
    )
)

TEACHER_SUB_COUNTS = tuple(c.name for c in _TEACHER_SUB_COUNTS)
"""The counts of teachers with some property, each at most the teachers."""

STAFF = TableSpec(
    name="staff",
    sheet_zh="教职工",
    grain=PER_SCHOOL_STAGE,
    columns=(SCHOOL_CODE, STAGE, STAFF_COUNT, TEACHERS, *_TEACHER_SUB_COUNTS, integer("training_sessions", "教师培训人次")),
)
"""Staff and teachers of one school and stage."""
