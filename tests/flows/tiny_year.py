"""A complete year small enough to compute by hand: six schools in three counties of two prefectures, as CSV files.

Province 620000 → prefecture 622900 (counties 622901, 622921) and prefecture 620100 (county 620102).
Every school sends every table it must, so the year loads; the numbers are chosen for the hand
computations of the catalogue tests (see the comments there).
"""

from __future__ import annotations

import csv
from pathlib import Path

PROVINCE, PREFECTURE_A, PREFECTURE_B = "620000", "622900", "620100"
COUNTY_A1, COUNTY_A2, COUNTY_B1 = "622901", "622921", "620102"

REGIONS_TOML = f"""
[[region]]
code = "{PROVINCE}"
name_zh = "甘肃省"
name_en = "Gansu"
level = "province"

[[region]]
code = "{PREFECTURE_A}"
name_zh = "临夏州"
name_en = "Linxia"
level = "prefecture"
parent_code = "{PROVINCE}"

[[region]]
code = "{PREFECTURE_B}"
name_zh = "兰州市"
name_en = "Lanzhou"
level = "prefecture"
parent_code = "{PROVINCE}"

[[region]]
code = "{COUNTY_A1}"
name_zh = "临夏市"
name_en = "Linxia City"
level = "county"
parent_code = "{PREFECTURE_A}"

[[region]]
code = "{COUNTY_A2}"
name_zh = "临夏县"
name_en = "Linxia County"
level = "county"
parent_code = "{PREFECTURE_A}"

[[region]]
code = "{COUNTY_B1}"
name_zh = "城关区"
name_en = "Chengguan"
level = "county"
parent_code = "{PREFECTURE_B}"
"""

SCHOOLS = [
    # school_code, school_name, county_code, school_type_code, urban_rural_code, ownership, is_inclusive
    ("6229010001", "临夏市第一小学", COUNTY_A1, "211", "111", "public", ""),
    ("6229010002", "临夏市阳光幼儿园", COUNTY_A1, "111", "210", "private", "yes"),
    ("6229210001", "临夏县第一中学", COUNTY_A2, "311", "121", "public", ""),
    ("6229210002", "临夏县九年制学校", COUNTY_A2, "312", "220", "public", ""),
    ("6201020001", "城关区第一小学", COUNTY_B1, "211", "112", "public", ""),
    ("6201020002", "城关区小太阳幼儿园", COUNTY_B1, "111", "122", "private", "no"),
]
ENROLLMENT = [
    # school_code, stage, students, entrants, classes, classes_56_65, classes_66_plus
    ("6229010001", "primary", 300, 50, 8, 0, 0),
    ("6229010002", "preschool", 90, 30, 3, 0, 0),
    ("6229210001", "junior", 400, 140, 10, 0, 0),
    ("6229210002", "primary", 120, 20, 4, 0, 0),
    ("6229210002", "junior", 60, 20, 2, 0, 0),
    ("6201020001", "primary", 500, 90, 12, 0, 0),
    ("6201020002", "preschool", 60, 20, 2, 0, 0),
]
STAFF = [
    # school_code, stage, staff, teachers, teachers_above_degree, teachers_senior_title, backbone_teachers,
    # pe_art_teachers, putonghua_qualified, new_teachers, training_sessions
    ("6229010001", "primary", 20, 15, 10, 6, 2, 2, 15, 1, 30),
    ("6229010002", "preschool", 8, 6, 2, 1, 0, 1, 6, 0, 6),
    ("6229210001", "junior", 30, 25, 20, 10, 3, 3, 25, 2, 50),
    ("6229210002", "primary", 10, 8, 5, 2, 1, 1, 8, 0, 8),
    ("6229210002", "junior", 6, 5, 4, 3, 1, 1, 5, 0, 5),
    ("6201020001", "primary", 35, 30, 25, 12, 4, 3, 30, 3, 60),
    ("6201020002", "preschool", 5, 4, 1, 0, 0, 1, 4, 0, 4),
]
SECURITY = [
    # school_code, guards, has_video, has_alarm, is_closed_campus, has_police_post
    ("6229010001", 2, "yes", "no", "yes", "yes"),
    ("6229010002", 0, "yes", "yes", "yes", "no"),
    ("6229210001", 1, "yes", "no", "yes", "yes"),
    ("6229210002", 0, "no", "no", "yes", "no"),
    ("6201020001", 3, "yes", "yes", "yes", "yes"),
    ("6201020002", 1, "yes", "yes", "yes", "no"),
]
FACILITIES = [
    # school_code, teaching_area_m2, sports_area_m2, equipment_value_10k_yuan, computers, books, classrooms, multimedia_classrooms
    ("6229010001", 1500, 2400, 70, 40, 6000, 8, 8),
    ("6229010002", 300, 400, 5, 4, 500, 3, 1),
    ("6229210001", 2400, 4100, 110, 60, 9000, 10, 9),
    ("6229210002", 900, 1500, 30, 12, 2500, 6, 3),
    ("6201020001", 2300, 3800, 100, 25, 8000, 12, 12),
    ("6201020002", 200, 300, 4, 2, 300, 2, 0),
]
FUNDING = [
    # school_code, stage, budget_10k_yuan, public_funds_10k_yuan
    ("6229010001", "primary", 100.5, 20.25),
    ("6229010002", "preschool", 30, 5),
    ("6229210001", "junior", 150, 30),
    ("6229210002", "primary", 40, 8),
    ("6229210002", "junior", 25, 5),
    ("6201020001", "primary", 200, 40),
    ("6201020002", "preschool", 20, 3),
]
POPULATION = [
    # county_code, age_3_5, age_6_11, age_12_14, age_15_17
    (COUNTY_A1, 100, 320, 150, 140),
    (COUNTY_A2, 80, 130, 470, 200),
    (COUNTY_B1, 90, 520, 260, 250),
]
HEADERS = {
    "schools": ("school_code", "school_name", "county_code", "school_type_code", "urban_rural_code", "ownership", "is_inclusive"),
    "enrollment": ("school_code", "stage", "students", "entrants", "classes", "classes_56_65", "classes_66_plus"),
    "staff": (
        "school_code", "stage", "staff", "teachers", "teachers_above_degree", "teachers_senior_title", "backbone_teachers",
        "pe_art_teachers", "putonghua_qualified", "new_teachers", "training_sessions",
    ),
    "security": ("school_code", "guards", "has_video", "has_alarm", "is_closed_campus", "has_police_post"),
    "facilities": (
        "school_code", "teaching_area_m2", "sports_area_m2", "equipment_value_10k_yuan", "computers", "books", "classrooms",
        "multimedia_classrooms",
    ),
    "funding": ("school_code", "stage", "budget_10k_yuan", "public_funds_10k_yuan"),
    "population": ("county_code", "age_3_5", "age_6_11", "age_12_14", "age_15_17"),
}  # fmt: skip
ROWS = {
    "schools": SCHOOLS, "enrollment": ENROLLMENT, "staff": STAFF, "security": SECURITY,
    "facilities": FACILITIES, "funding": FUNDING, "population": POPULATION,
}  # fmt: skip


def write_tiny_year(root: Path) -> tuple[Path, Path]:
    """The year's input folder (one CSV file per table) and its region file, below ``root``."""
    input_dir = root / "2020"
    input_dir.mkdir(parents=True)
    for table, rows in ROWS.items():
        with open(input_dir / f"{table}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADERS[table])
            writer.writerows(rows)
    regions_file = root / "regions.toml"
    regions_file.write_text(REGIONS_TOML, encoding="utf-8")
    return input_dir, regions_file
