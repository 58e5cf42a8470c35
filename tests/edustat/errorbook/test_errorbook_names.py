"""Copy sheet names: readable, legal, ≤ 31 characters and unique ignoring case."""

from __future__ import annotations

from edustat.errorbook.marked import copy_name
from edustat.errorbook.names import MAX_SHEET_NAME_CHARS, SheetNamer


def test_a_copy_keeps_the_inputs_relative_path_and_an_xls_or_csv_becomes_xlsx():
    assert copy_name("康乐县.xlsx") == "康乐县.xlsx"
    assert copy_name("2020/康乐县.xls") == "2020/康乐县.xlsx"
    assert copy_name("临夏县/在校生.csv") == "临夏县/在校生.xlsx"
    assert copy_name("临夏县\\在校生.CSV") == "临夏县/在校生.xlsx"
    assert copy_name("宏.xlsm") == "宏.xlsm"


def test_an_empty_prefix_gives_the_sheet_name():
    assert SheetNamer().claim("", "schools") == "schools"


def test_names_are_unique_ignoring_case_and_never_reuse_the_problem_sheet():
    namer = SheetNamer(("问题清单 Problems",))
    assert namer.claim("康乐县", "在校生") == "康乐县-在校生"
    assert namer.claim("康乐县", "在校生") == "康乐县-在校生(2)"
    assert namer.claim("康乐县", "在校生") == "康乐县-在校生(3)"
    assert namer.claim("A", "schools") == "A-schools"
    assert namer.claim("a", "SCHOOLS") == "a-SCHOOLS(2)"
    assert namer.claim("问题清单 problems") == "问题清单 problems(2)"
    assert namer.claim("History") == "History(2)"


def test_long_names_cut_the_file_part_and_keep_the_sheet_part():
    namer = SheetNamer()
    stem = "积石山保安族东乡族撒拉族自治县2020年教育统计报表"  # 26 characters
    first, second = namer.claim(stem, "在校生"), namer.claim(stem, "在校生")
    # 31 − len("-在校生") = 27 ≥ 26: the whole stem fits the first time.
    assert first == stem + "-在校生"
    # With "(2)" only 31 − 3 − 4 = 24 characters of the stem remain.
    assert second == stem[:24] + "-在校生(2)"
    assert len(second) == MAX_SHEET_NAME_CHARS
    very_long = namer.claim("x" * 40, "y" * 40)
    assert very_long == "y" * 31


def test_forbidden_characters_are_replaced():
    namer = SheetNamer()
    assert namer.claim("a/b:c*d", "?e[f]'g\\h") == "a_b_c_d-_e_f__g_h"
    assert namer.claim("   ") == "Sheet"
