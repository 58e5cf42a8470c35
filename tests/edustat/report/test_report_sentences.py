"""edustat/report/sentences.py and context.py: the report's sentences with the prefecture's values."""

from __future__ import annotations

import pytest
from report_builders import PREFECTURE, TARGETS, report_frames

from edustat.report.context import build_context, subject_code
from edustat.report.phrases import Sentence, load_phrases
from edustat.report.sentences import fill, section_sentences, sentence_text


def _context(lang: str = "zh", values: dict | None = None):
    return build_context(report_frames(values), load_phrases(), TARGETS, lang)


def test_the_subject_is_the_region_above_the_counties() -> None:
    assert subject_code(report_frames()) == PREFECTURE
    context = _context()
    assert context.subject.name == "临夏回族自治州"
    assert [c.code for c in context.children] == ["622901", "622921", "622922"]
    assert context.area() == "全州"  # the name ends in 州
    assert _context("en").area() == "the prefecture"


def test_preschool_sentence_as_the_report_writes_it() -> None:
    assert section_sentences(_context(), "preschool") == [
        "2020年底，学前三年毛入园率达到95.42%，公办幼儿园在园幼儿占比73%，普惠性幼儿园覆盖率为96%。",
        "全州共有普惠性民办幼儿园164所。",
    ]


def test_senior_stage_writes_the_vocational_share_as_a_ratio() -> None:
    assert section_sentences(_context(), "senior_stage") == ["2020年底，高中阶段毛入学率达到81.2%，职普比为3:7。"]


def test_funding_growth_in_words() -> None:
    sentences = section_sentences(_context(), "funding")
    assert "2020年，全州一般公共预算教育经费512345.6万元，比上年增长15.81%。" in sentences
    assert "生均一般公共预算教育支出比上年：普通高中降低2.77%。" in sentences
    assert "拨付生均公用经费75208.84万元，其中学前11555.04万元、小学18960.35万元、初中8798.61万元、普通高中13809.6万元、中职16435.88万元、高职5649.36万元。" in sentences


def test_a_sentence_whose_lead_lacks_its_value_is_left_out() -> None:
    values = {PREFECTURE: {"public_funds_preschool_10k_yuan": 11555.04}, "622901": {"preschool_ger": 90.0}}
    # The lead names public_funds_total_10k_yuan, which is missing.
    assert section_sentences(_context(values=values), "funding") == []


def test_a_clause_without_its_value_is_left_out() -> None:
    values = {PREFECTURE: {"preschool_ger": 95.42, "preschool_inclusive_coverage": 96.0}, "622901": {"preschool_ger": 90.0}}
    assert section_sentences(_context(values=values), "preschool") == ["2020年底，学前三年毛入园率达到95.42%，普惠性幼儿园覆盖率为96%。"]


def test_a_section_without_values_has_no_sentence() -> None:
    assert section_sentences(_context(), "informatization") == []


def test_balance_counts_and_ranges_over_the_counties() -> None:
    # balance_cv_pass_primary: 1, 0, 1 → 2 of 3; pass shares 80, 60, 100 → 60% to 100%.
    assert section_sentences(_context(), "balance") == [
        "全州3个县（市）中，小学校际差异系数全部达标的有2个。",
        "各县（市）小学达标学校比例在60%至100%之间。",
    ]


def test_english_sentences_use_english_words() -> None:
    assert section_sentences(_context("en"), "preschool")[0] == (
        "By the end of 2020, the gross enrolment rate of three years of preschool reached 95.42%, "
        "public kindergartens enrolled 73% of preschool children and inclusive kindergartens covered 96%."
    )
    assert section_sentences(_context("en"), "senior_stage") == [
        "By the end of 2020, the gross enrolment rate of the senior secondary stage reached 81.2% and vocational and general entrants stood at 3:7."
    ]


def test_fill_and_custom_separators() -> None:
    context = _context()
    assert fill(context, "{year}|{area}|{children}|{children_kind}") == "2020|全州|3|县（市）"
    assert fill(context, "{video_rate}") is None  # no value
    sentence = Sentence(lead_zh="其中", lead_sep_zh="：", join_zh="、", zh=("甲{senior_ger}", "乙{video_rate}", "丙{preschool_ger|number}"), en=())
    assert sentence_text(context, sentence) == "其中：甲81.2%、丙95.42。"


def test_every_code_of_the_wording_is_in_the_catalogue() -> None:
    from schemas.catalogue import load_catalogue

    assert load_phrases().codes() <= set(load_catalogue().codes())
    assert load_phrases().order == ("preschool", "compulsory", "senior_stage", "funding", "teachers", "safety", "informatization", "balance")


def test_a_language_other_than_zh_or_en_is_refused() -> None:
    with pytest.raises(ValueError, match="lang"):
        _context("fr")

