"""The seven input tables of the contract (§2): sheet names, columns, headers and types.

One ``TableSpec`` per table; one ``ColumnSpec`` per contract column. Every later stage uses
these column names unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnKind = Literal["code", "text", "stage", "ownership", "yes_no", "integer", "number"]

PROVENANCE_COLUMNS = ("source_file", "source_sheet", "source_row")
"""Added to every staged row: the file, the sheet and the row number as Excel shows it."""


@dataclass(frozen=True)
class ColumnSpec:
    """One contract column: its name, the headers a clerk may write, and its kind."""

    name: str
    header_zh: str
    kind: ColumnKind
    required: bool = True
    digits: int | None = None
    unit_zh: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header text that names this column (English name, Chinese header, aliases)."""
        return (self.name, self.header_zh, *self.aliases)


@dataclass(frozen=True)
class TableSpec:
    """One contract table: its sheet names, its grain and its columns."""

    name: str
    sheet_zh: str
    grain: str
    key: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]

    @property
    def sheet_names(self) -> tuple[str, ...]:
        """Sheet (or CSV file) names that identify this table."""
        return (self.sheet_zh, self.name)

    @property
    def column_names(self) -> tuple[str, ...]:
        """Contract column names, in contract order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> ColumnSpec:
        """The column spec called ``name``."""
        return next(c for c in self.columns if c.name == name)


def _int(name: str, header_zh: str, *aliases: str) -> ColumnSpec:
    return ColumnSpec(name, header_zh, "integer", aliases=aliases)


def _num(name: str, header_zh: str, unit_zh: str | None = None) -> ColumnSpec:
    return ColumnSpec(name, header_zh, "number", unit_zh=unit_zh)


def _yes_no(name: str, header_zh: str) -> ColumnSpec:
    return ColumnSpec(name, header_zh, "yes_no")


SCHOOL_CODE = ColumnSpec("school_code", "学校标识码", "code", digits=10)
STAGE = ColumnSpec("stage", "学段", "stage")

SCHOOLS = TableSpec(
    name="schools",
    sheet_zh="学校名录",
    grain="one row per school",
    key=("school_code",),
    columns=(
        SCHOOL_CODE,
        ColumnSpec("school_name", "学校名称", "text"),
        ColumnSpec("county_code", "行政区划代码", "code", digits=6),
        ColumnSpec("school_type_code", "办学类型代码", "code", digits=3),
        ColumnSpec("urban_rural_code", "城乡分类代码", "code", digits=3),
        ColumnSpec("ownership", "举办者类型", "ownership"),
        # Only private kindergartens must answer; public schools count as inclusive.
        ColumnSpec("is_inclusive", "是否普惠性", "yes_no", required=False),
    ),
)

ENROLLMENT = TableSpec(
    name="enrollment",
    sheet_zh="在校生",
    grain="one row per school per stage",
    key=("school_code", "stage"),
    columns=(
        SCHOOL_CODE,
        STAGE,
        _int("students", "在校生数", "在园幼儿数"),
        _int("entrants", "招生数"),
        _int("classes", "班数"),
        _int("classes_56_65", "56-65人班数"),
        _int("classes_66_plus", "66人及以上班数"),
    ),
)

STAFF = TableSpec(
    name="staff",
    sheet_zh="教职工",
    grain="one row per school per stage",
    key=("school_code", "stage"),
    columns=(
        SCHOOL_CODE,
        STAGE,
        _int("staff", "教职工数"),
        _int("teachers", "专任教师数"),
        _int("teachers_above_degree", "高于规定学历教师数"),
        _int("teachers_senior_title", "中级及以上职称教师数"),
        _int("backbone_teachers", "县级以上骨干教师数"),
        _int("pe_art_teachers", "体育艺术专任教师数"),
        _int("putonghua_qualified", "普通话达标教师数"),
        _int("new_teachers", "当年新招录教师数"),
        _int("training_sessions", "教师培训人次"),
    ),
)

SECURITY = TableSpec(
    name="security",
    sheet_zh="安保",
    grain="one row per school",
    key=("school_code",),
    columns=(
        SCHOOL_CODE,
        _int("guards", "专职保安员数"),
        _yes_no("has_video", "视频监控"),
        _yes_no("has_alarm", "一键式报警"),
        _yes_no("is_closed_campus", "封闭式管理"),
        _yes_no("has_police_post", "护学岗"),
    ),
)

FACILITIES = TableSpec(
    name="facilities",
    sheet_zh="办学条件",
    grain="one row per school",
    key=("school_code",),
    columns=(
        SCHOOL_CODE,
        _num("teaching_area_m2", "教学及辅助用房面积", "平方米"),
        _num("sports_area_m2", "体育运动场馆面积", "平方米"),
        _num("equipment_value_10k_yuan", "教学仪器设备值", "万元"),
        _num("computers", "计算机台数", "台"),
        _num("books", "图书册数", "册"),
        _num("classrooms", "普通教室数", "间"),
        _num("multimedia_classrooms", "网络多媒体教室数", "间"),
    ),
)

FUNDING = TableSpec(
    name="funding",
    sheet_zh="经费",
    grain="one row per school per stage",
    key=("school_code", "stage"),
    columns=(
        SCHOOL_CODE,
        STAGE,
        _num("budget_10k_yuan", "一般公共预算教育支出", "万元"),
        _num("public_funds_10k_yuan", "公用经费拨付", "万元"),
    ),
)

POPULATION = TableSpec(
    name="population",
    sheet_zh="人口",
    grain="one row per county",
    key=("county_code",),
    columns=(
        ColumnSpec("county_code", "行政区划代码", "code", digits=6),
        _int("age_3_5", "3-5岁人口"),
        _int("age_6_11", "6-11岁人口"),
        _int("age_12_14", "12-14岁人口"),
        _int("age_15_17", "15-17岁人口"),
    ),
)

TABLES: dict[str, TableSpec] = {
    t.name: t for t in (SCHOOLS, ENROLLMENT, STAFF, SECURITY, FACILITIES, FUNDING, POPULATION)
}
"""All input tables by name, in the contract's order."""

DATA_TABLES = ("enrollment", "staff", "security", "facilities", "funding")
"""Tables whose rows belong to a school of the registry."""

NUMERIC_KINDS: tuple[ColumnKind, ...] = ("integer", "number")
"""Column kinds that hold a quantity, each with a plausible ceiling (config/rules.toml [ceilings])."""


def numeric_columns() -> dict[str, tuple[str, ...]]:
    """Table name → its integer and number columns, in contract order: one entry per table that has any."""
    found = {t.name: tuple(c.name for c in t.columns if c.kind in NUMERIC_KINDS) for t in TABLES.values()}
    return {name: columns for name, columns in found.items() if columns}

DERIVED_COLUMNS: dict[str, tuple[ColumnSpec, ...]] = {"security": (_int("required_guards", "应配专职保安员数"),)}
"""Columns a catalogue term may read beyond a table's own, worked out from the rows (contract §4):
required_guards is the guard standard of config/rules.toml for the school's students and staff."""


_KIND_DTYPES = {
    "code": "String",
    "text": "String",
    "stage": "String",
    "ownership": "String",
    "yes_no": "Boolean",
    "integer": "Int64",
    "number": "Float64",
}


def staged_dtypes(table: str) -> dict[str, str]:
    """Polars dtype name of every contract column of ``table`` once staged, provenance columns included.

    Staged frames hold one row per source row (grain of the table), contract columns typed
    (codes and text as String, stage as its English code, ownership as "public"/"private",
    yes/no as Boolean, integers as Int64, numbers as Float64) plus source_file, source_sheet
    (String) and source_row (Int64, the row number as Excel shows it).
    """
    spec = TABLES[table]
    dtypes = {c.name: _KIND_DTYPES[c.kind] for c in spec.columns}
    return dtypes | {"source_file": "String", "source_sheet": "String", "source_row": "Int64"}
