"""Fill a blank template with a small, consistent dataset the way a clerk would: values under the headers.

``fill_template(path)`` is reusable outside this folder (e.g. to feed a filled template to the
validator): import it by path or put this folder on ``sys.path``.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl

from schemas.tables import TABLES

SMALL_SCHOOL: dict[str, list[dict[str, object]]] = {
    # One public town primary school (211, 城乡 121) of 临夏县 622921, with its primary rows.
    "schools": [
        {
            "school_code": "2162100001",
            "school_name": "临夏县城关小学",
            "county_code": "622921",
            "school_type_code": "211",
            "urban_rural_code": "121",
            "ownership": "公办",
            "is_inclusive": None,
        }
    ],
    # entrants 50 ≤ students 300; classes 8 > 0; 1 + 0 large classes ≤ 8.
    "enrollment": [
        {"school_code": "2162100001", "stage": "小学", "students": 300, "entrants": 50, "classes": 8, "classes_56_65": 1, "classes_66_plus": 0}
    ],
    # teachers 20 ≤ staff 24; every sub-count ≤ 20; pupil-teacher ratio 300 / 20 = 15, within 5–40.
    "staff": [
        {
            "school_code": "2162100001",
            "stage": "小学",
            "staff": 24,
            "teachers": 20,
            "teachers_above_degree": 16,
            "teachers_senior_title": 9,
            "backbone_teachers": 3,
            "pe_art_teachers": 4,
            "putonghua_qualified": 20,
            "new_teachers": 2,
            "training_sessions": 45,
        }
    ],
    "security": [
        {"school_code": "2162100001", "guards": 2, "has_video": "是", "has_alarm": "是", "is_closed_campus": "是", "has_police_post": "否"}
    ],
    "facilities": [
        {
            "school_code": "2162100001",
            "teaching_area_m2": 1650.5,
            "sports_area_m2": 2400,
            "equipment_value_10k_yuan": 72.3,
            "computers": 45,
            "books": 9000,
            "classrooms": 8,
            "multimedia_classrooms": 8,
        }
    ],
    # public funds 30.5 ≤ budget 420.75 (万元).
    "funding": [{"school_code": "2162100001", "stage": "小学", "budget_10k_yuan": 420.75, "public_funds_10k_yuan": 30.5}],
    "population": [{"county_code": "622921", "age_3_5": 9800, "age_6_11": 21000, "age_12_14": 10100, "age_15_17": 9900}],
}
"""One row per record, keyed by table and contract column name; values as a clerk types them."""

_UNIT = re.compile(r"[（(][^）)]*[）)]\s*$")


def _bare(header: object) -> str:
    """A header without its unit in parentheses: 教学及辅助用房面积（平方米） → 教学及辅助用房面积."""
    return _UNIT.sub("", str(header or "")).strip()


def fill_template(
    path: Path,
    data: dict[str, list[dict[str, object]]] | None = None,
    out_path: Path | None = None,
) -> Path:
    """Write ``data`` (default ``SMALL_SCHOOL``) below the headers of the template at ``path``; one row per record.

    The header row is the first row holding the table's first Chinese header (a note row may sit above it).
    """
    data = SMALL_SCHOOL if data is None else data
    book = openpyxl.load_workbook(path)
    for table_name, records in data.items():
        spec = TABLES[table_name]
        ws = book[spec.sheet_zh]
        header_row = next(
            row for row in ws.iter_rows(max_row=10) if any(_bare(c.value) == spec.columns[0].header_zh for c in row)
        )
        by_header = {_bare(cell.value): cell.column for cell in header_row if cell.value}
        first = header_row[0].row + 1
        for offset, record in enumerate(records, start=first):
            for name, value in record.items():
                if value is not None:
                    ws.cell(row=offset, column=by_header[spec.column(name).header_zh], value=value)
    target = Path(out_path) if out_path is not None else Path(path)
    book.save(target)
    return target
