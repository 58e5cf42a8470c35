"""A newcomer who greps for an indicator code finds one place that defines it: its entry in config/indicators.toml.

Every code of the catalogue (or, for a code an entry writes once per stage or measure, that entry's
code template) is searched as a word in every file of the repository that is source: the engine,
tasks, flows, warehouse, schemas, the command line, config. It must be found in its catalogue entry's
`code = ` line, once, and nowhere else. Files that use a code for what it is not a definition of are
left out, each for its reason (CONSUMERS).
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from config import DEFAULT_INDICATORS_FILE
from schemas.catalogue import load_catalogue
from schemas.tables import TABLES

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = DEFAULT_INDICATORS_FILE.relative_to(ROOT).as_posix()
CONSUMERS = {
    "tests/": "tests name the codes they check",
    "benchmarks/": "an independent computation of six codes, to check the engine against (it must not share its definitions)",
    "edustat/sample/": "the sample generator aims its numbers at the report's published figures, by code",
    "edustat/report/phrases.toml": "the report's wording of each figure, keyed by code",
    "config/rules.toml": "the report's targets, keyed by code",
}
COLUMN_FILES = ("schemas/", "edustat/template/", "config/checks.toml")
"""Where the tables' columns are declared or read by name (the checks' conditions): a code that is also a column's name (new_teachers) is that column there."""
NOT_SOURCE = (".md", ".png", ".lock", ".otf")


def _source_files() -> dict[str, str]:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return {
        name: (ROOT / name).read_text(encoding="utf-8")
        for name in listed
        if not name.endswith(NOT_SOURCE) and not name.startswith(tuple(CONSUMERS)) and (ROOT / name).is_file()
    }


def _templates() -> dict[str, str]:
    """Every code → what to grep for: the code, or the template of the entry that writes it once per stage or measure."""
    entries = tomllib.loads(DEFAULT_INDICATORS_FILE.read_text(encoding="utf-8"))["indicator"]
    templates = [entry["code"] for entry in entries if "{" in entry["code"]]
    found = {}
    for code in load_catalogue().codes():
        pattern = [t for t in templates if re.fullmatch(re.sub(r"\\\{\w+\\\}", r"[a-z0-9_]+", re.escape(t)), code)]
        found[code] = pattern[0] if pattern and code not in {e["code"] for e in entries} else code
    return found


SOURCES = _source_files()
COLUMNS = {column.name for table in TABLES.values() for column in table.columns}


@pytest.mark.parametrize(("code", "token"), sorted(_templates().items()))
def test_a_code_is_found_in_its_catalogue_entry_alone(code: str, token: str) -> None:
    word = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(token)}(?![A-Za-z0-9_])")
    places = {name for name, text in SOURCES.items() if word.search(text)}
    if token in COLUMNS:
        places = {name for name in places if not name.startswith(COLUMN_FILES)}
    assert places == {CATALOGUE}, f"{code}: found in {sorted(places)}"
    assert SOURCES[CATALOGUE].count(f'code = "{token}"') == 1, code


def test_every_code_is_checked() -> None:
    assert len(_templates()) == len(load_catalogue().indicators) > 60
