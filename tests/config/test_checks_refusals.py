"""A broken checks file is refused when it is read: each problem names the file, the entry's code and the key, in Chinese and English."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from config import DEFAULT_CHECKS_FILE, CatalogueError
from schemas.catalogue import load_checks


def _entry(code: str = "my_check", **fields: str) -> str:
    values = {
        "severity": '"error"', "table": '"facilities"', "condition": '"multimedia_classrooms <= classrooms"',
        "message_zh": '"多媒体教室 {multimedia_classrooms} 间"', "message_en": '"multimedia {multimedia_classrooms}"',
    } | fields
    return f'[[check]]\ncode = "{code}"\n' + "".join(f"{key} = {value}\n" for key, value in values.items() if value is not None)


def _file(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "checks.toml"
    path.write_text("\n".join(entries), encoding="utf-8")
    return path


def _refusal(tmp_path: Path, *entries: str) -> list[tuple[str, str]]:
    path = _file(tmp_path, *entries)
    with pytest.raises(CatalogueError) as refused:
        load_checks(path)
    return refused.value.lines


@pytest.mark.parametrize(
    ("fields", "key", "english", "chinese"),
    [
        pytest.param({"table": '"facility"'}, "table", "unknown table 'facility'", "未知的表“facility”", id="table"),
        pytest.param({"severity": '"fatal"'}, "severity", "not valid", "写法不对", id="severity"),
        pytest.param({"condition": '"multimedia_classrooms => classrooms"'}, "condition", "unknown operator '=>'", "运算符“=>”未知", id="operator"),
        pytest.param({"condition": '"multimedia_classrooms classrooms"'}, "condition", "cannot read the condition", "读不懂条件", id="unreadable"),
        pytest.param({"condition": '"rooms <= classrooms"'}, "condition", "table facilities has no column 'rooms'", "表 facilities 没有列“rooms”", id="column"),
        pytest.param(
            {"condition": '"classrooms >= classes"'}, "condition", "column 'classes' belongs to table enrollment; write enrollment.classes"[:40],
            "列“classes”属于表 enrollment", id="column-of-another-table-unqualified",
        ),
        pytest.param({"condition": '"classrooms >= enrolment.classes"'}, "condition", "unknown table 'enrolment'", "未知的表“enrolment”", id="other-table"),
        pytest.param(
            {"condition": '"classrooms >= enrollment.pupils"'}, "condition", "table enrollment has no column 'pupils'", "表 enrollment 没有列“pupils”", id="other-column",
        ),
        pytest.param(
            {"condition": '"classrooms >= population.age_6_11"'}, "condition", "population is one row per county", "人口表按县记录", id="population",
        ),
        pytest.param({"condition": '"enrollment.classes >= 1"'}, "condition", "reads no column of its own table facilities", "没有表 facilities 自己的列", id="no-own-column"),
        pytest.param({"table": '"security"', "condition": '"has_video >= 1"'}, "condition", "column 'has_video' is not numeric", "列“has_video”不是数值列", id="yes-no"),
        pytest.param({"stages": '["primary"]'}, "stages", "table facilities has no stage", "表 facilities 没有学段", id="stage-on-school-table"),
        pytest.param({"table": '"staff"', "condition": '"teachers <= staff"', "stages": '["kindergarten"]'}, "stages", "unknown stage 'kindergarten'", "未知的学段", id="stage"),
        pytest.param({"school_types": '["middle_schools"]'}, "school_types", "'middle_schools' is neither", "既不是办学类型代码", id="group"),
        pytest.param({"areas": '["suburb"]'}, "areas", "unknown area 'suburb'", "未知的城乡类别", id="area"),
        pytest.param({"ownership": '["state"]'}, "ownership", "unknown ownership 'state'", "未知的举办者类型", id="ownership"),
        pytest.param({"message_en": '"{rooms} rooms"'}, "message_en", "table facilities has no column 'rooms'", "没有列“rooms”", id="placeholder-column"),
        pytest.param({"message_zh": '"{多媒体}"'}, "message_zh", "the placeholder {多媒体} is neither", "占位符 {多媒体}", id="placeholder"),
        pytest.param({"message_en": '"{classrooms"'}, "message_en", "do not pair up", "不成对", id="braces"),
        pytest.param({"message_zh": None}, "message_zh", "not valid", "写法不对", id="message-missing"),
        pytest.param({"columns": '["computers"]'}, "condition", "the entry has columns but its condition has no {column}", "没有 {column}", id="template"),
        pytest.param(
            {"columns": '["rooms"]', "condition": '"{column} <= classrooms"'}, "columns", "table facilities has no column 'rooms'", "没有列“rooms”", id="template-column",
        ),
    ],
)  # fmt: skip
def test_a_wrong_entry_is_refused_naming_file_code_and_key(tmp_path: Path, fields: dict, key: str, english: str, chinese: str) -> None:
    lines = _refusal(tmp_path, _entry(**fields))
    zh, en = lines[0]
    path = str(tmp_path / "checks.toml")
    assert en.startswith(f"{path}: check my_check, {key}: "), en
    assert english in en
    assert zh.startswith(f"{path}：检查 my_check，{key}：") and chinese in zh, zh


def test_a_repeated_code_and_a_built_in_rule_code_are_refused(tmp_path: Path) -> None:
    lines = _refusal(tmp_path, _entry("twice"), _entry("twice"), _entry("duplicate_key"))
    assert [en.split(": ", 1)[1] for _, en in lines] == [
        "check twice, code: the code appears twice",
        "check duplicate_key, code: the code is already that of a built-in rule of edustat",
    ]


def test_every_problem_of_every_entry_is_named_at_once(tmp_path: Path) -> None:
    lines = _refusal(tmp_path, _entry("first", table='"facility"'), _entry("fine"), _entry("second", areas='["suburb"]', ownership='["state"]'))
    assert [en.split(": ", 1)[1].split(":")[0] for _, en in lines] == ["check first, table", "check second, areas", "check second, ownership"]


def test_the_project_checks_file_is_read_and_a_template_stands_for_one_check_per_column() -> None:
    checks = load_checks(DEFAULT_CHECKS_FILE)
    sub_counts = [c for c in checks.checks if c.code == "exceeds_teachers"]
    assert [c.condition for c in sub_counts] == [
        "teachers_above_degree <= teachers", "teachers_senior_title <= teachers", "backbone_teachers <= teachers",
        "pe_art_teachers <= teachers", "putonghua_qualified <= teachers", "new_teachers <= teachers",
    ]


def test_validate_refuses_a_broken_checks_file_with_exit_2_before_reading_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from edustat.cli.app import app

    # --checks passes the file on through the environment: set here first, so that the test restores it.
    monkeypatch.setenv("EDUSTAT_CHECKS_FILE", str(DEFAULT_CHECKS_FILE))
    path = _file(tmp_path, _entry(table='"facility"'))
    result = CliRunner().invoke(app, ["validate", "--list-checks", "--checks", str(path)])
    assert result.exit_code == 2, result.output
    assert "check my_check, table: unknown table 'facility'" in result.output
    assert "检查 my_check，table：未知的表“facility”" in result.output


def test_the_environment_names_the_checks_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from edustat.cli.app import app

    path = _file(tmp_path, _entry("only_this_one"))
    monkeypatch.setenv("EDUSTAT_CHECKS_FILE", str(path))
    result = CliRunner().invoke(app, ["validate", "--list-checks"])
    assert result.exit_code == 0, result.output
    assert "1 checks" in result.output and "only_this_one" in result.output and "multimedia_classrooms ≤ classrooms" in result.output
