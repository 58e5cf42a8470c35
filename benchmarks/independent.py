"""A second, independent computation of a handful of indicators from the raw workbooks, to check the warehouse.

Nothing of edustat's ingest or indicator code is used: workbooks are read with python-calamine,
headers matched by a small table of their own, cells parsed in plain Python, sums kept in dicts and
rolled up the region file's parent chain. Only the stage spellings come from config/rules.toml.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import tomllib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

RULES_FILE = Path(__file__).resolve().parents[1] / "config" / "rules.toml"

SHEETS = {
    "学校名录": "schools", "schools": "schools", "在校生": "enrollment", "enrollment": "enrollment",
    "教职工": "staff", "staff": "staff", "安保": "security", "security": "security",
    "经费": "funding", "funding": "funding", "人口": "population", "population": "population",
}
HEADERS = {
    "学校标识码": "school_code", "school_code": "school_code", "行政区划代码": "county_code", "county_code": "county_code",
    "办学类型代码": "school_type_code", "school_type_code": "school_type_code", "学段": "stage", "stage": "stage",
    "在校生数": "students", "在园幼儿数": "students", "students": "students", "班数": "classes", "classes": "classes",
    "56-65人班数": "classes_56_65", "classes_56_65": "classes_56_65",
    "66人及以上班数": "classes_66_plus", "classes_66_plus": "classes_66_plus",
    "专任教师数": "teachers", "teachers": "teachers", "专职保安员数": "guards", "guards": "guards",
    "封闭式管理": "is_closed_campus", "is_closed_campus": "is_closed_campus",
    "一般公共预算教育支出": "budget_10k_yuan", "budget_10k_yuan": "budget_10k_yuan",
    "3-5岁人口": "age_3_5", "age_3_5": "age_3_5",
}
KEY_HEADERS = {"school_code", "county_code"}
YES = {"是", "有", "y", "yes", "1", "1.0", "true", "t", "√", "✓", "✔", "对"}
TOTAL_WORDS = ("合计", "总计")
GUARDED_TYPES = {"211", "311", "312", "341", "342", "345"}
"""The 中小学 of guard_rate_schools (contract §4)."""

INDICATORS = (
    "preschool_ger", "pupil_teacher_ratio_primary", "budget_total_10k_yuan",
    "large_class_share", "guard_rate_schools", "closed_campus_rate",
)
SCALE = {"preschool_ger": 100.0, "large_class_share": 100.0, "guard_rate_schools": 100.0, "closed_campus_rate": 100.0}
SUMS = {"budget_total_10k_yuan"}


def _squeeze(text: object) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).lower()


def _header(text: object) -> str | None:
    name = _squeeze(text).rstrip("*")
    name = re.sub(r"\([^()]*\)$", "", name)
    return HEADERS.get(name)


def _number(cell: object) -> float | None:
    if cell is None or cell == "":
        return None
    if isinstance(cell, bool):
        return float(cell)
    if isinstance(cell, int | float):
        return float(cell)
    text = _squeeze(cell).replace(",", "")
    return float(text) if text else None


def _code(cell: object) -> str | None:
    if cell is None or cell == "":
        return None
    if isinstance(cell, float):
        return str(int(cell))
    text = _squeeze(cell).lstrip("'")
    return re.sub(r"\.0+$", "", text) or None


def _stage_words() -> dict[str, str]:
    stages = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))["stages"]
    words: dict[str, str] = {}
    for code, info in stages.items():
        for word in (code, info["name_zh"], info["name_en"], *info["aliases"]):
            words[_squeeze(word)] = code
    return words


@dataclass
class Tables:
    """The raw rows this check needs, keyed the way the sums need them."""

    county_of: dict[str, str] = field(default_factory=dict)
    type_of: dict[str, str] = field(default_factory=dict)
    with_rows: set[str] = field(default_factory=set)
    sums: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    """(school_code or county_code, measure) → sum."""
    guards: dict[str, float] = field(default_factory=dict)
    closed: dict[str, bool] = field(default_factory=dict)


def _records(rows: list[list]) -> tuple[list[str | None], list[list]]:
    for index, row in enumerate(rows[:25]):
        names = [_header(cell) if cell not in (None, "") else None for cell in row]
        if KEY_HEADERS & set(names):
            return names, rows[index + 1 :]
    return [], []


def read_workbook(path: Path, stages: dict[str, str], tables: Tables) -> None:
    """Add one workbook's rows to ``tables``."""
    workbook = CalamineWorkbook.from_path(str(path))
    for sheet_name in workbook.sheet_names:
        table = SHEETS.get(_squeeze(sheet_name))
        if table is None:
            continue
        names, body = _records(workbook.get_sheet_by_name(sheet_name).to_python())
        for row in body:
            record = {name: row[i] for i, name in enumerate(names) if name and i < len(row)}
            key = record.get("county_code" if table == "population" else "school_code")
            if key in (None, "") or any(word in str(cell) for cell in row for word in TOTAL_WORDS):
                continue
            code = _code(key)
            _add(table, code, record, stages, tables)


def _add(table: str, code: str, record: dict, stages: dict[str, str], tables: Tables) -> None:
    if table == "population":
        tables.sums[(code, "age_3_5")] += _number(record["age_3_5"]) or 0.0
        return
    if table == "schools":
        tables.county_of[code] = _code(record["county_code"])
        tables.type_of[code] = _code(record["school_type_code"])
        return
    tables.with_rows.add(code)
    if table == "security":
        tables.guards[code] = _number(record["guards"]) or 0.0
        tables.closed[code] = _squeeze(record["is_closed_campus"]) in YES
        return
    stage = stages.get(_squeeze(record.get("stage", "")))
    if table == "enrollment":
        students = _number(record["students"]) or 0.0
        tables.sums[(code, f"students_{stage}")] += students
        if stage in ("primary", "junior"):
            tables.sums[(code, "classes_pj")] += _number(record["classes"]) or 0.0
            large = (_number(record["classes_56_65"]) or 0.0) + (_number(record["classes_66_plus"]) or 0.0)
            tables.sums[(code, "large_pj")] += large
    elif table == "staff":
        tables.sums[(code, f"teachers_{stage}")] += _number(record["teachers"]) or 0.0
    elif table == "funding":
        tables.sums[(code, "budget")] += _number(record["budget_10k_yuan"]) or 0.0


def county_terms(tables: Tables) -> dict[str, dict[str, list[float]]]:
    """County → indicator → [numerator, denominator]."""
    terms: dict[str, dict[str, list[float]]] = defaultdict(lambda: {code: [0.0, 0.0] for code in INDICATORS})
    for (code, measure), value in tables.sums.items():
        if measure == "age_3_5":
            terms[code]["preschool_ger"][1] += value
            continue
        county = tables.county_of.get(code)
        if county is None:
            continue
        into = {"students_preschool": ("preschool_ger", 0), "students_primary": ("pupil_teacher_ratio_primary", 0),
                "teachers_primary": ("pupil_teacher_ratio_primary", 1), "budget": ("budget_total_10k_yuan", 0),
                "large_pj": ("large_class_share", 0), "classes_pj": ("large_class_share", 1)}.get(measure)
        if into:
            terms[county][into[0]][into[1]] += value
    for school in tables.with_rows:
        county = tables.county_of.get(school)
        if county is None:
            continue
        terms[county]["closed_campus_rate"][1] += 1
        terms[county]["closed_campus_rate"][0] += 1 if tables.closed.get(school) else 0
        if tables.type_of.get(school) in GUARDED_TYPES:
            terms[county]["guard_rate_schools"][1] += 1
            terms[county]["guard_rate_schools"][0] += 1 if tables.guards.get(school, 0.0) >= 1 else 0
    return terms


def rolled_up(terms: dict[str, dict[str, list[float]]], regions_file: Path) -> dict[tuple[str, str], float | None]:
    """(region, indicator) → value for every region of the file: Σ numerators / Σ denominators of its counties."""
    regions = tomllib.loads(regions_file.read_text(encoding="utf-8"))["region"]
    parent = {r["code"]: r.get("parent_code") for r in regions}
    totals: dict[str, dict[str, list[float]]] = {r["code"]: {code: [0.0, 0.0] for code in INDICATORS} for r in regions}
    for county in (r["code"] for r in regions if r["level"] == "county"):
        region = county
        while region:
            for code in INDICATORS:
                totals[region][code][0] += terms.get(county, {}).get(code, [0.0, 0.0])[0]
                totals[region][code][1] += terms.get(county, {}).get(code, [0.0, 0.0])[1]
            region = parent[region]
    values: dict[tuple[str, str], float | None] = {}
    for region, by_code in totals.items():
        for code, (numerator, denominator) in by_code.items():
            if code in SUMS:
                values[(region, code)] = numerator
            else:
                values[(region, code)] = SCALE.get(code, 1.0) * numerator / denominator if denominator else None
    return values


def warehouse_values(url: str, year: int) -> dict[tuple[str, str], float | None]:
    """The current values of the checked indicators in the warehouse."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    codes = ", ".join(f"'{code}'" for code in INDICATORS)
    query = sa.text(
        f"SELECT region_code, indicator_code, value FROM indicator_value WHERE year = :year AND is_current AND indicator_code IN ({codes})"
    )
    with engine.connect() as conn:
        rows = conn.execute(query, {"year": year}).all()
    engine.dispose()
    return {(region, code): value for region, code, value in rows}


def agrees(expected: float | None, actual: float | None) -> bool:
    """Equal within the warehouse's rounding (6 decimals) and float summation noise."""
    if expected is None or actual is None:
        return expected is None and actual is None
    return math.isclose(expected, actual, rel_tol=1e-9, abs_tol=2e-6)


def check(input_dir: Path, regions_file: Path, url: str, year: int) -> dict:
    """Every (region, indicator) pair of the check compared: counts, levels and the first disagreements."""
    stages = _stage_words()
    tables = Tables()
    for path in sorted(p for p in input_dir.rglob("*") if p.suffix.lower() == ".xlsx"):
        read_workbook(path, stages, tables)
    expected = rolled_up(county_terms(tables), regions_file)
    actual = warehouse_values(url, year)
    levels = {r["code"]: r["level"] for r in tomllib.loads(regions_file.read_text(encoding="utf-8"))["region"]}
    mismatches = [
        {"region_code": region, "indicator_code": code, "expected": value, "warehouse": actual.get((region, code), "missing")}
        for (region, code), value in sorted(expected.items())
        if (region, code) not in actual or not agrees(value, actual[(region, code)])
    ]
    return {
        "indicators": list(INDICATORS),
        "pairs_checked": len(expected),
        "levels": {level: sum(1 for code in levels.values() if code == level) for level in sorted(set(levels.values()))},
        "schools_read": len(tables.county_of),
        "mismatches": len(mismatches),
        "first_mismatches": mismatches[:10],
        "agree": not mismatches,
    }


def main() -> None:
    """Command line: print the check as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input_dir", type=Path)
    parser.add_argument("regions_file", type=Path)
    parser.add_argument("warehouse_url")
    parser.add_argument("--year", type=int, default=2020)
    args = parser.parse_args()
    print(json.dumps(check(args.input_dir, args.regions_file, args.warehouse_url, args.year), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
