"""A configuration file the warehouse, its views or a terminal would choke on is refused when it is read: exit 2, file, entry, key, both languages.

Each limit is worked out here from what it guards (PostgreSQL's 63-byte identifiers, a database
that cannot store NUL, a terminal driven by ESC), not read back from config.limits.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from catalogue_files import HEAD, TAIL, catalogue_file, entry

from config import ConfigError, load_regions
from config.limits import MAX_CONFIG_BYTES, data_problems
from schemas.catalogue import load_catalogue
from tests.cli_runner import run_edustat

STUDENTS = '{ table = "enrollment", sum = "students" }'
TEACHERS = '{ table = "staff", sum = "teachers" }'
REGIONS = Path(__file__).resolve().parents[2] / "config" / "regions.toml"


def _refused(path: Path, *, regions: bool = False) -> str:
    with pytest.raises(ConfigError) as refused:
        (load_regions if regions else load_catalogue)(path)
    return str(refused.value)


def _catalogue_with(tmp_path: Path, extra_toml: str) -> Path:
    path = tmp_path / "indicators.toml"
    path.write_text(HEAD + extra_toml + "\n" + entry("teacher_ratio", TEACHERS, STUDENTS) + TAIL, encoding="utf-8")
    return path


def test_five_thousand_levels_of_nesting_are_refused_naming_line_and_key(tmp_path: Path) -> None:
    path = _catalogue_with(tmp_path, "extra = " + "[" * 5000 + "]" * 5000)
    message = _refused(path)
    # HEAD holds two lines: the nested array is on line 3.
    assert f"{path}: line 3, key extra: tables or arrays nested more than" in message
    assert f"{path}：第 3 行，键 extra：" in message
    assert "Recursion" not in message


def test_nesting_that_parses_but_is_too_deep_names_entry_and_key(tmp_path: Path) -> None:
    # 40 levels: tomllib reads it; the models and templates would walk it; it is refused all the same.
    path = catalogue_file(tmp_path, entry("teacher_ratio", TEACHERS, STUDENTS, extra="[" * 40 + "]" * 40))
    message = _refused(path)
    assert "entry indicator[0] (teacher_ratio), key extra" in message
    assert "nested more than" in message and "嵌套超过" in message


def test_a_ten_thousand_character_code_is_refused_in_a_short_message(tmp_path: Path) -> None:
    code = "a" * 10_000
    path = catalogue_file(tmp_path, entry(code, TEACHERS, STUDENTS))
    message = _refused(path)
    # 10,000 ASCII letters are 10,000 bytes; a PostgreSQL column name holds 63.
    assert "the code is 10000 bytes long, more than the limit of 63" in message
    assert "代码长 10000 字节，超过上限 63" in message
    assert f"{path}: entry indicator[0] ({'a' * 40}…(10000 characters / 共 10000 个字符)), key code: the code is 10000 bytes" in message
    assert len(message) < 2_000, len(message)


def test_a_code_of_63_bytes_is_accepted(tmp_path: Path) -> None:
    code = "b" * 63
    catalogue = load_catalogue(catalogue_file(tmp_path, entry(code, TEACHERS, STUDENTS)))
    assert [i.code for i in catalogue.indicators] == [code]


def test_a_code_that_is_a_column_of_the_wide_view_is_refused(tmp_path: Path) -> None:
    message = _refused(catalogue_file(tmp_path, entry("region_code", TEACHERS, STUDENTS)))
    assert "indicator region_code, code: the code is the name of a key column of the view indicator_wide" in message


@pytest.mark.parametrize(
    ("name", "english"),
    [
        pytest.param("red\\u001b[31m", "holds the control character U+001B", id="escape"),
        pytest.param("nul\\u0000", "holds a NUL character", id="nul"),
        pytest.param("two\\nlines", "holds the control character U+000A", id="newline"),
        pytest.param("bidi\\u202eevil", "holds the control character U+202E", id="bidi-override"),
        pytest.param("x" * 201, "is 201 characters long, more than the limit of 200", id="too-long"),
    ],
)
def test_a_name_the_terminal_or_database_cannot_take_is_refused(tmp_path: Path, name: str, english: str) -> None:
    text = entry("teacher_ratio", TEACHERS, STUDENTS).replace('name_en = "teacher_ratio"', f'name_en = "{name}"')
    message = _refused(catalogue_file(tmp_path, text))
    assert f"entry indicator[0] (teacher_ratio), key name_en: {english}" in message
    assert "条目 indicator[0] (teacher_ratio)，键 name_en：" in message
    assert "\x1b" not in message and "\0" not in message


def test_a_line_break_is_allowed_in_long_text_but_not_in_a_name() -> None:
    problems = data_problems({"indicator": [{"code": "x", "definition": "line one\nline two", "name_en": "one\ntwo"}]})
    assert [(entry, key) for entry, key, _, _ in problems] == [("indicator[0] (x)", "name_en")]


def test_a_region_file_shares_the_limits(tmp_path: Path) -> None:
    text = REGIONS.read_text(encoding="utf-8")
    assert 'name_en = "Linxia City"' in text, "the sample region file changed: pick another county"
    path = tmp_path / "regions.toml"
    path.write_text(text.replace('name_en = "Linxia City"', 'name_en = "Linxia\\u001b]0;owned\\u0007"'), encoding="utf-8")
    message = _refused(path, regions=True)
    assert "(622901), key name_en: holds the control character U+001B" in message
    assert "\x1b" not in message


def test_a_file_not_in_utf8_is_refused_with_where_the_first_bad_byte_is(tmp_path: Path) -> None:
    path = tmp_path / "indicators.toml"
    # GB18030: 中 is D6 D0; it follows 'report_region = "' (17 bytes).
    path.write_bytes('report_region = "中"\n'.encode("gb18030"))
    message = _refused(path)
    assert f"{path}: not UTF-8 text (byte 0xd6 at offset 17); save it as UTF-8" in message
    assert "不是 UTF-8 编码" in message


def test_a_file_above_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "indicators.toml"
    path.write_text("#" * (4 * 1024 * 1024) + "\n", encoding="utf-8")
    assert path.stat().st_size > MAX_CONFIG_BYTES
    message = _refused(path)
    assert f"{path}: {4 * 1024 * 1024 + 1} bytes, more than the limit of {MAX_CONFIG_BYTES}" in message


@pytest.mark.parametrize(
    ("text", "english"),
    [
        pytest.param("extra = " + "[" * 5000 + "]" * 5000, "nested more than", id="nesting"),
        pytest.param(None, "the code is 10000 bytes long", id="long-code"),
    ],
)
def test_the_command_line_refuses_with_exit_2_before_any_input_is_read(tmp_path: Path, text: str | None, english: str) -> None:
    path = catalogue_file(tmp_path, entry("c" * 10_000, TEACHERS, STUDENTS)) if text is None else _catalogue_with(tmp_path, text)
    listing = run_edustat("indicators", "--catalogue", "--lang", "en", "--indicators", str(path), cwd=tmp_path)
    assert listing.returncode == 2, listing.stderr
    assert english in listing.stderr and "Traceback" not in listing.stderr + listing.stdout
    # `run` refuses before it reads the input: a folder that does not hold a single workbook would be exit 1.
    empty = tmp_path / "input"
    empty.mkdir()
    run = run_edustat(
        "run", "--year", "2020", "--input", str(empty), "--indicators", str(path), "--warehouse", f"sqlite:///{tmp_path / 'w.db'}", cwd=tmp_path
    )
    assert run.returncode == 2, run.stderr
    assert english in run.stderr
    assert not (tmp_path / "w.db").exists()


def test_a_wrong_region_names_its_entry_and_key_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "regions.toml"
    path.write_text(REGIONS.read_text(encoding="utf-8").replace('code = "622901"', 'code = "62290"', 1), encoding="utf-8")
    message = _refused(path, regions=True)
    # 622901 is the file's third region (province, prefecture, then the counties).
    assert f"{path}: entry region[2] (62290), key code: String should match pattern" in message
    assert f"{path}：条目 region[2] (62290)，键 code：写法不对" in message
