"""在校生 (enrollment): one row per school per stage — students, entrants and classes, counts ≥ 0.

Their relations (entrants ≤ students, classes when there are students, large classes within classes)
are checks of config/checks.toml; the template states them next to the columns.
"""

from __future__ import annotations

from schemas.spec import PER_SCHOOL_STAGE, SCHOOL_CODE, STAGE, TableSpec, at_most, integer

_CHILDREN = "在园幼儿数"  # a kindergarten's header for its students
STUDENTS = integer("students", "在校生数", _CHILDREN, rule=(f"学前填{_CHILDREN}", "preschool: children enrolled"))
CLASSES = integer("classes", "班数", rule=(f"{STUDENTS.header_zh} > 0 时须 > 0", f"> 0 when {STUDENTS.name} > 0"))
CLASSES_56_65 = integer("classes_56_65", "56-65人班数")

ENROLLMENT = TableSpec(
    name="enrollment",
    sheet_zh="在校生",
    grain=PER_SCHOOL_STAGE,
    columns=(
        SCHOOL_CODE,
        STAGE,
        STUDENTS,
        integer("entrants", "招生数", rule=at_most(STUDENTS)),
        CLASSES,
        CLASSES_56_65,
        integer(
            "classes_66_plus", "66人及以上班数",
            rule=(f"与{CLASSES_56_65.header_zh}之和 {at_most(CLASSES)[0]}", f"{CLASSES_56_65.name} + classes_66_plus {at_most(CLASSES)[1]}"),
        ),
    ),
)
"""Students, entrants and classes of one school and stage."""
