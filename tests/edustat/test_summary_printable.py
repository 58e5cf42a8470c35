"""Terminal lines show control characters escaped: a file name or value cannot forge a line or drive the terminal."""

from __future__ import annotations

from edustat.summary import location, printable


def test_control_characters_are_escaped_and_text_is_kept() -> None:
    assert printable("a\nb\rc\td") == "a\\nb\\rc\\td"
    assert printable("\x1b[31m红\x00") == "\\x1b[31m红\\x00"
    assert printable("临夏县 622921.xlsx") == "临夏县 622921.xlsx"
    assert printable("\u2028") == "\\u2028"


def test_a_file_name_with_a_newline_cannot_forge_an_error_line() -> None:
    row = {"source_file": "x.csv\n  [error] forged", "source_sheet": "在校生\x07", "source_row": 3, "column_header": None}
    shown = location(row)
    assert "\n" not in shown and "\x07" not in shown
    assert shown == "x.csv\\n  [error] forged › sheet 在校生\\x07 › row 3"


def test_a_problem_of_no_one_file_is_placed_in_all_files() -> None:
    assert location({"source_file": None, "source_sheet": None, "source_row": None, "column_header": None}) == "(all files)"
