"""config/rules.toml [ceilings]: one ceiling for every numeric column of every input table, checked at load."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from config import RULES_FILE, ConfigError
from schemas.rules import load_rules

# The numeric columns of contract §2, written out here rather than read from schemas.tables.
CONTRACT_NUMERIC_COLUMNS = {
    "enrollment": {"students", "entrants", "classes", "classes_56_65", "classes_66_plus"},
    "staff": {
        "staff", "teachers", "teachers_above_degree", "teachers_senior_title", "backbone_teachers",
        "pe_art_teachers", "putonghua_qualified", "new_teachers", "training_sessions",
    },
    "security": {"guards"},
    "facilities": {
        "teaching_area_m2", "sports_area_m2", "equipment_value_10k_yuan", "computers", "books", "classrooms",
        "multimedia_classrooms",
    },
    "funding": {"budget_10k_yuan", "public_funds_10k_yuan"},
    "population": {"age_3_5", "age_6_11", "age_12_14", "age_15_17"},
}


def _rules_with(tmp_path: Path, edit) -> Path:  # noqa: ANN001 - a text → text function
    path = tmp_path / "rules.toml"
    path.write_text(edit(RULES_FILE.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def test_every_numeric_contract_column_has_one_ceiling_with_unusual_below_impossible() -> None:
    ceilings = load_rules().ceilings
    assert {table: set(columns) for table, columns in ceilings.items()} == CONTRACT_NUMERIC_COLUMNS
    for columns in ceilings.values():
        for ceiling in columns.values():
            assert 0 < ceiling.unusual < ceiling.impossible


def test_the_brief_s_examples_of_what_cannot_be_real_are_refused() -> None:
    ceilings = load_rules().ceilings
    assert ceilings["enrollment"]["students"].impossible <= 100_000
    assert ceilings["facilities"]["teaching_area_m2"].impossible <= 1e7
    assert ceilings["funding"]["budget_10k_yuan"].impossible <= 1e6
    # A county's cohort is far larger than a school's pupils: population has ceilings of its own size.
    assert ceilings["population"]["age_6_11"].unusual > ceilings["enrollment"]["students"].impossible


def test_a_numeric_column_without_a_ceiling_fails_at_load(tmp_path: Path) -> None:
    path = _rules_with(tmp_path, lambda text: re.sub(r"(?m)^books = .*\n", "", text))
    with pytest.raises(ConfigError, match=r"without a ceiling: facilities\.books"):
        load_rules(path)


def test_a_ceiling_for_an_unknown_column_fails_at_load(tmp_path: Path) -> None:
    path = _rules_with(tmp_path, lambda text: text.replace("[ceilings.security]\n", "[ceilings.security]\nlaptops = { unusual = 1, impossible = 2 }\n"))
    with pytest.raises(ConfigError, match=r"unknown columns: security\.laptops"):
        load_rules(path)


@pytest.mark.parametrize(
    "entry",
    ["guards = { unusual = 1000, impossible = 100 }", "guards = { unusual = 0, impossible = 100 }",
     "guards = { unusual = 10, impossible = inf }", "guards = { unusual = 10 }"],
)
def test_a_ceiling_out_of_order_non_positive_infinite_or_incomplete_fails_at_load(entry: str, tmp_path: Path) -> None:
    path = _rules_with(tmp_path, lambda text: re.sub(r"(?m)^guards = .*$", entry, text))
    with pytest.raises(ConfigError, match=r"ceilings\.security\.guards"):
        load_rules(path)


def test_a_facility_weight_of_zero_fails_at_load(tmp_path: Path) -> None:
    # A zero weight would share a one-stage school's facilities as 0 / 0 (NaN).
    path = _rules_with(tmp_path, lambda text: text.replace("junior = 1.1,", "junior = 0.0,"))
    with pytest.raises(ConfigError, match="facility weight"):
        load_rules(path)
