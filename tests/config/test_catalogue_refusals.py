"""A broken catalogue is refused when it is read: each problem names the file, the entry's code and the key, in Chinese and English."""

from __future__ import annotations

from pathlib import Path

import pytest
from catalogue_files import catalogue_file, entry

from config import CatalogueError
from schemas.catalogue import load_catalogue

STUDENTS = '{ table = "enrollment", sum = "students" }'
TEACHERS = '{ table = "staff", sum = "teachers" }'


def _refusal(tmp_path: Path, *entries: str) -> list[tuple[str, str]]:
    path = catalogue_file(tmp_path, *entries)
    with pytest.raises(CatalogueError) as refused:
        load_catalogue(path)
    return refused.value.lines


@pytest.mark.parametrize(
    ("numerator", "key", "english", "chinese"),
    [
        pytest.param('{ table = "enrolment", sum = "students" }', "numerator.table", "unknown table 'enrolment'", "未知的表“enrolment”", id="table"),
        pytest.param('{ table = "enrollment", sum = "pupils" }', "numerator.sum", "table enrollment has no column 'pupils'", "没有列“pupils”", id="column"),
        pytest.param(
            '{ table = "enrollment", sum = "students", stages = ["kindergarten"] }', "numerator.stages", "unknown stage 'kindergarten'",
            "未知的学段“kindergarten”", id="stage",
        ),
        pytest.param(
            '{ table = "enrollment", sum = "students", school_types = ["middle_schools"] }', "numerator.school_types",
            "'middle_schools' is neither a 办学类型代码 nor a group", "“middle_schools”既不是办学类型代码", id="group",
        ),
        pytest.param(
            '{ table = "enrollment", sum = "students", areas = ["suburb"] }', "numerator.areas", "unknown area 'suburb'",
            "未知的城乡类别“suburb”", id="area",
        ),
        pytest.param(
            '{ table = "security", where = ["guards => 1"] }', "numerator.where[0]", "unknown operator '=>' in 'guards => 1'",
            "运算符“=>”未知", id="operator",
        ),
        pytest.param(
            '{ table = "security", where = ["students >= 1"] }', "numerator.where[0]",
            "column 'students' belongs to table enrollment, not to this term's table security", "列“students”属于表 enrollment",
            id="where-on-another-table",
        ),
        pytest.param(
            '{ table = "schools", sum = "school_name" }', "numerator.sum", "column 'school_name' is not numeric and cannot be summed",
            "列“school_name”不是数值列，不能求和", id="sum-of-text",
        ),
    ],
)  # fmt: skip
def test_a_wrong_term_is_refused_naming_file_code_and_key(tmp_path: Path, numerator: str, key: str, english: str, chinese: str) -> None:
    lines = _refusal(tmp_path, entry("broken_rate", numerator, STUDENTS))
    assert len(lines) == 1
    zh, en = lines[0]
    path = str(tmp_path / "indicators.toml")
    assert en.startswith(f"{path}: indicator broken_rate, {key}: ")
    assert zh.startswith(f"{path}：指标 broken_rate，{key}：")
    assert english in en
    assert chinese in zh


def test_a_duplicate_code_is_refused(tmp_path: Path) -> None:
    lines = _refusal(tmp_path, entry("ratio_a", STUDENTS, TEACHERS), entry("ratio_a", TEACHERS, STUDENTS))
    assert [en for _, en in lines] == [f"{tmp_path / 'indicators.toml'}: indicator ratio_a, code: the code appears twice"]
    assert "指标代码重复出现" in lines[0][0]


def test_a_ratio_without_denominator_is_refused(tmp_path: Path) -> None:
    lines = _refusal(tmp_path, entry("half_rate", STUDENTS))
    assert [en for _, en in lines] == [f"{tmp_path / 'indicators.toml'}: indicator half_rate, denominator: a ratio needs a denominator"]
    assert "比率指标必须有 denominator" in lines[0][0]


@pytest.mark.parametrize(
    ("text", "key", "english"),
    [
        pytest.param(entry("x", '{ table = "population", sum = "age_3_5", stages = ["primary"] }', kind="sum"), "numerator.stages",
                     "a population term takes sum only, not stages", id="population-filter"),
        pytest.param(entry("x", '{ table = "population" }', kind="count"), "numerator", "a population term needs a sum", id="population-count"),
        pytest.param(entry("x", STUDENTS, kind="count"), "numerator.sum", "a count counts schools", id="count-with-sum"),
        pytest.param(entry("x", '{ table = "security" }', kind="sum"), "numerator", "a sum needs a sum in its numerator", id="sum-without-sum"),
        pytest.param(entry("x", STUDENTS, TEACHERS, kind="sum"), "denominator", "has a numerator only", id="sum-with-denominator"),
        pytest.param(entry("x", STUDENTS, TEACHERS, definition='"my words"'), "definition", "the definition is written from the terms", id="definition"),
        pytest.param(entry("x", '{ table = "staff", sum = "teachers", stages = ["{stage}"] }', kind="sum"), "numerator.stages",
                     "uses {stage} but the entry has no stages", id="placeholder"),
        pytest.param(entry("x", '{ table = "security", where = ["guards"] }', TEACHERS), "numerator.where[0]",
                     "column 'guards' is not a yes/no column", id="not-yes-no"),
        pytest.param(entry("x", '{ table = "facilities", sum = "books", color = "red" }', kind="sum"), "numerator.color",
                     "not valid: Extra inputs are not permitted", id="unknown-key"),
    ],
)  # fmt: skip
def test_other_wrong_entries_are_refused_with_their_key(tmp_path: Path, text: str, key: str, english: str) -> None:
    lines = _refusal(tmp_path, text)
    assert any(en.startswith(f"{tmp_path / 'indicators.toml'}: indicator x, {key}: ") and english in en for _, en in lines), lines


def test_every_problem_of_every_entry_is_named_at_once(tmp_path: Path) -> None:
    lines = _refusal(
        tmp_path,
        entry("first", '{ table = "enrolment", sum = "students" }', STUDENTS),
        entry("fine", STUDENTS, TEACHERS),
        entry("second", STUDENTS, '{ table = "staff", sum = "teachers", areas = ["suburb"] }'),
    )
    assert [en.split(": ")[1] for _, en in lines] == ["indicator first, numerator.table", "indicator second, denominator.areas"]


def test_the_refusal_message_holds_both_languages(tmp_path: Path) -> None:
    path = catalogue_file(tmp_path, entry("half_rate", STUDENTS))
    with pytest.raises(CatalogueError, match="a ratio needs a denominator") as refused:
        load_catalogue(path)
    assert "比率指标必须有 denominator" in str(refused.value)


@pytest.mark.parametrize(
    ("extra", "key", "english"),
    [
        pytest.param({"stages": '["primary"]'}, "statistic", "a balance entry names its statistic", id="no-statistic"),
        pytest.param({"statistic": '"cv_pass"', "stages": '["senior"]'}, "stages", "balance stage 'senior' is not one of", id="stage"),
    ],
)
def test_a_balance_entry_names_its_statistic_and_a_balance_stage(tmp_path: Path, extra: dict[str, str], key: str, english: str) -> None:
    text = entry("balance_x_{stage}", kind="balance", levels='"county"', definition='"a flag"', **extra)
    lines = _refusal(tmp_path, text)
    assert any(f"{key}: " in en and english in en for _, en in lines), lines
