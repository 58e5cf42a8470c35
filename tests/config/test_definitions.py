"""schemas.catalogue.definitions: an indicator's definition in words, written from its terms (so it cannot drift from them)."""

from __future__ import annotations

from pathlib import Path

from catalogue_files import catalogue_file, entry

from schemas.catalogue import load_catalogue
from schemas.catalogue.definitions import definition
from schemas.rules import load_rules


def test_every_key_of_a_term_is_put_into_words(tmp_path: Path) -> None:
    numerator = (
        '{ table = "security", school_types = ["kindergartens", "218"], areas = ["town", "rural"], ownership = "private",'
        ' is_inclusive = true, where = ["guards >= required_guards", "not has_alarm"] }'
    )
    denominator = '{ table = "enrollment", sum = ["classes_56_65", "classes_66_plus"], stages = ["primary"] }'
    catalogue = load_catalogue(catalogue_file(tmp_path, entry("x", numerator, denominator)))
    indicator = catalogue.by_code()["x"]
    assert indicator.definition == (
        "100 × (schools with a security row, types 111 218, town, rural, private, inclusive (public counts),"
        " where guards >= required_guards and not has_alarm)"
        " / (Σ (classes_56_65 + classes_66_plus) of enrollment, stage primary)"
    )
    assert definition(indicator, load_rules(), "zh") == (
        "100 × (有安保记录的学校数（办学类型 111、218；镇区、乡村；民办；普惠性（公办计入）；专职保安员数 >= 应配专职保安员数；一键式报警为否）)"
        " / (Σ(56-65人班数+66人及以上班数)（在校生；小学）)"
    )


def test_a_sum_and_a_count_have_no_scale_or_denominator(tmp_path: Path) -> None:
    catalogue = load_catalogue(
        catalogue_file(tmp_path, entry("s", '{ table = "population", sum = "age_3_5" }', kind="sum"), entry("c", '{ table = "schools" }', kind="count"))
    )
    assert catalogue.by_code()["s"].definition == "Σ age_3_5 of population"
    assert catalogue.by_code()["c"].definition == "schools"
