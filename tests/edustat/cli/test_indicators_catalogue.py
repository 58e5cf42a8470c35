"""`edustat indicators --catalogue`: every code of the catalogue with its kind, unit and definition in words, in catalogue order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from config import DEFAULT_INDICATORS_FILE
from edustat.cli.app import app
from schemas.catalogue import load_catalogue

NEW_ENTRY = """
[[indicator]]
code = "senior_title_share_{stage}"
stages = ["primary", "junior"]
name_zh = "{stage_zh}中级及以上职称教师占比"
name_en = "Teachers with a senior title, {stage_en}"
section = "teachers"
kind = "ratio"
unit = "percent"
scale = 100
numerator   = { table = "staff", sum = "teachers_senior_title", stages = ["{stage}"] }
denominator = { table = "staff", sum = "teachers", stages = ["{stage}"] }
"""


def _listed(*args: str) -> list[dict]:
    result = CliRunner().invoke(app, ["indicators", "--catalogue", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_code_in_catalogue_order_with_kind_unit_and_definition() -> None:
    rows = _listed()
    assert [r["indicator_code"] for r in rows] == list(load_catalogue().codes())
    ger = next(r for r in rows if r["indicator_code"] == "preschool_ger")
    assert (ger["kind"], ger["unit"], ger["unit_zh"]) == ("ratio", "percent", "%")
    assert ger["definition_en"] == "100 × (Σ students of enrollment, stage preschool) / (Σ age_3_5 of population)"
    assert ger["definition_zh"] == "100 × (Σ在校生数（在校生；学前）) / (Σ3-5岁人口（人口）)"
    guards = next(r for r in rows if r["indicator_code"] == "guard_standard_rate")
    assert guards["definition_en"] == "100 × (schools with a security row, where guards >= required_guards) / (schools)"
    growth = next(r for r in rows if r["indicator_code"] == "budget_total_growth")
    assert growth["definition_en"] == "100 × (this year's budget_total_10k_yuan / the previous year's − 1)"


def test_a_catalogue_file_of_ones_own_is_listed_with_the_new_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # --indicators reaches the settings through the environment: restore it after the test.
    monkeypatch.setenv("EDUSTAT_INDICATORS_FILE", str(DEFAULT_INDICATORS_FILE))
    extended = tmp_path / "province.toml"
    extended.write_text(DEFAULT_INDICATORS_FILE.read_text(encoding="utf-8") + NEW_ENTRY, encoding="utf-8")
    rows = _listed("--indicators", str(extended))
    assert [r["indicator_code"] for r in rows[-2:]] == ["senior_title_share_primary", "senior_title_share_junior"]
    assert rows[-1]["definition_en"] == "100 × (Σ teachers_senior_title of staff, stage junior) / (Σ teachers of staff, stage junior)"
    assert rows[-1]["name_zh"] == "初中中级及以上职称教师占比"


def test_the_terminal_table_speaks_the_language_asked() -> None:
    english = CliRunner().invoke(app, ["indicators", "--catalogue", "--lang", "en"])
    assert english.exit_code == 0, english.output
    assert "Σ classes_66_plus of enrollment, stages primary, junior" in " ".join(english.stdout.split())


def test_catalogue_and_year_do_not_go_together() -> None:
    assert CliRunner().invoke(app, ["indicators", "--catalogue", "--year", "2020"]).exit_code == 2
    assert CliRunner().invoke(app, ["indicators"]).exit_code == 2
