"""The "Add a check" example of docs/tutorial/adding-an-indicator.md, read by the checks loader as the tutorial says it is.

(Its "Add an indicator" example is run by tests/flows/test_add_an_indicator.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

from config import DEFAULT_CHECKS_FILE
from schemas.catalogue import load_checks
from schemas.catalogue.check_words import condition_words, filter_words
from schemas.rules import load_rules

TUTORIAL = Path(__file__).resolve().parents[2] / "docs" / "tutorial" / "adding-an-indicator.md"


def check_example() -> str:
    """The TOML block that follows the add-a-check marker in the tutorial."""
    found = re.search(r"<!-- add-a-check:.*?-->\n```toml\n(.*?)```", TUTORIAL.read_text(encoding="utf-8"), re.S)
    assert found is not None, "the tutorial lost its add-a-check example"
    return found.group(1)


def test_the_check_example_loads_and_reads_as_the_tutorial_says(tmp_path: Path) -> None:
    checks_file = tmp_path / "province-checks.toml"
    checks_file.write_text(DEFAULT_CHECKS_FILE.read_text(encoding="utf-8") + "\n" + check_example(), encoding="utf-8")
    before, after = load_checks(), load_checks(checks_file)
    assert len(after.checks) == len(before.checks) + 1
    added = after.checks[-1]
    assert (added.code, added.severity, added.table) == ("sports_area_for_pupils", "warning", "facilities")
    # What the tutorial quotes from `validate --list-checks`: `==` is written `=`, the school group is the
    # codes of rules.toml [school_groups] primary_and_secondary, another table's column is named with its table.
    text = TUTORIAL.read_text(encoding="utf-8")
    words = {
        "filter": filter_words(added, load_rules()),
        "en": condition_words(added, "en"),
        "zh": condition_words(added, "zh"),
    }
    assert words == {
        "filter": "facilities (types 211 311 312 341 342 345)",
        "en": "sports_area_m2 > 0 or enrollment.students = 0",
        "zh": "体育运动场馆面积 > 0 或 在校生表在校生数 = 0",
    }
    assert all(f"`{value}`" in text.replace("\n", " ") for value in words.values()), words
