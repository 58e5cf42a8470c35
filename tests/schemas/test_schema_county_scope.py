"""Which problems are a county's (`validate --county`), on tiny hand-made frames."""

from __future__ import annotations

import polars as pl

from config import load_regions
from schemas.county_scope import issues_of_counties, row_counties
from schemas.issues import issue_frame

REGIONS = load_regions()  # 临夏州: 622921 临夏县, 622922 康乐县, …

TABLES = {
    "schools": pl.DataFrame(
        {
            "school_code": ["A1", "A2", "B1"],
            "county_code": ["622921", "622921", "622922"],
            "source_file": ["all.xlsx", "all.xlsx", "all.xlsx"],
            "source_sheet": ["学校名录"] * 3,
            "source_row": [2, 3, 4],
        }
    ),
    "enrollment": pl.DataFrame(
        {
            "school_code": ["A1", "B1", "B1", None],
            "source_file": ["all.xlsx", "all.xlsx", "kangle.csv", "kangle.csv"],
            "source_sheet": ["在校生", "在校生", "kangle", "kangle"],
            "source_row": [2, 3, 2, 3],
        }
    ),
    "population": pl.DataFrame({"county_code": ["622922"], "source_file": ["pop.xlsx"], "source_sheet": ["人口"], "source_row": [2]}),
}


def _issue(rule: str, file: str | None, sheet: str | None = None, row: int | None = None) -> dict:
    return {"rule": rule, "severity": "error", "source_file": file, "source_sheet": sheet, "source_row": row}


ISSUES = issue_frame(
    [
        _issue("a1_row", "all.xlsx", "学校名录", 2),  # 临夏县's school
        _issue("b1_row", "all.xlsx", "在校生", 3),  # 康乐县's school, in the shared workbook
        _issue("layout_shared", "all.xlsx", "在校生", None),  # no row: the file holds both counties
        _issue("kangle_row_unknown_school", "kangle.csv", "kangle", 3),  # no school: by its file, which holds 康乐县 only
        _issue("population", "pop.xlsx", "人口", 2),  # 康乐县's population row
        _issue("unreadable_named", "622922_康乐县/经费.xlsx"),  # no rows: by the code in its path
        _issue("unreadable_named_zh", "临夏县经费.xlsx"),  # no rows: by the name in its path
        _issue("unreadable_unplaced", "经费.xlsx"),  # nobody's: kept
        _issue("county_level", None),  # completeness, already limited to the chosen counties
    ]
)


def test_each_row_has_its_schools_county_and_population_its_own() -> None:
    rows = row_counties(TABLES).sort("source_file", "source_sheet", "source_row")
    assert rows.rows() == [
        ("all.xlsx", "在校生", 2, "622921"),
        ("all.xlsx", "在校生", 3, "622922"),
        ("all.xlsx", "学校名录", 2, "622921"),
        ("all.xlsx", "学校名录", 3, "622921"),
        ("all.xlsx", "学校名录", 4, "622922"),
        ("kangle.csv", "kangle", 2, "622922"),
        ("pop.xlsx", "人口", 2, "622922"),
    ]


def test_linxia_alone() -> None:
    kept = issues_of_counties(ISSUES, TABLES, ["622921"], REGIONS).get_column("rule").to_list()
    assert kept == ["a1_row", "layout_shared", "unreadable_named_zh", "unreadable_unplaced", "county_level"]


def test_kangle_alone() -> None:
    kept = issues_of_counties(ISSUES, TABLES, ["622922"], REGIONS).get_column("rule").to_list()
    assert kept == ["b1_row", "layout_shared", "kangle_row_unknown_school", "population", "unreadable_named", "unreadable_unplaced", "county_level"]


def test_both_keep_everything_in_order() -> None:
    assert issues_of_counties(ISSUES, TABLES, ["622921", "622922"], REGIONS).equals(ISSUES)
