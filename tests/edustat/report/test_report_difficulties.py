"""edustat/report/difficulties.py: 存在的困难问题 from the targets of config/rules.toml."""

from __future__ import annotations

from report_builders import PREFECTURE, TARGETS, report_frames

from edustat.report.context import build_context
from edustat.report.difficulties import difficulties, short_name
from edustat.report.phrases import load_phrases
from schemas.rules import load_rules


def _context(values: dict, lang: str = "zh", targets: dict | None = None):
    return build_context(report_frames(values), load_phrases(), TARGETS if targets is None else targets, lang)


COUNTY = {"622901": {"senior_ger": 90.0}}


def test_senior_ger_below_both_targets() -> None:
    # 95 − 81.2 = 13.8; 91.2 − 81.2 = 10.
    context = _context({PREFECTURE: {"senior_ger": 81.2}, **COUNTY})
    assert difficulties(context) == ["高中阶段毛入学率低，全州为81.2%，分别比全省（95%）、全国（91.2%）低13.8个百分点和10个百分点。"]


def test_vocational_share_below_both_targets_uses_the_bracketed_name() -> None:
    # 40 − 30 = 10; 50 − 30 = 20.
    context = _context({PREFECTURE: {"vocational_entrant_share": 30.0}, **COUNTY})
    assert difficulties(context) == ["中职招生占比低，全州为30%，分别比全省（40%）、全国（50%）低10个百分点和20个百分点。"]


def test_below_one_target_only() -> None:
    # 93 is above the national 91.2 and 95 − 93 = 2 below the province.
    context = _context({PREFECTURE: {"senior_ger": 93.0}, **COUNTY})
    assert difficulties(context) == ["高中阶段毛入学率低，全州为93%，比全省（95%）低2个百分点。"]


def test_no_difficulty_when_targets_are_met_or_values_missing() -> None:
    assert difficulties(_context({PREFECTURE: {"senior_ger": 96.0, "vocational_entrant_share": 50.0}, **COUNTY})) == []
    assert difficulties(_context({PREFECTURE: {"preschool_ger": 90.0}, **COUNTY})) == []


def test_english_difficulty() -> None:
    context = _context({PREFECTURE: {"senior_ger": 81.2}, **COUNTY}, lang="en")
    assert difficulties(context) == [
        "Gross enrolment rate, senior secondary stage is low: 81.2% across the prefecture, "
        "13.8 percentage points below the province target (95%) and 10 percentage points below the national target (91.2%)."
    ]


def test_the_configured_targets_are_those_of_the_contract() -> None:
    assert load_rules().targets == TARGETS


def test_short_name() -> None:
    assert short_name("职普比(中职招生占比)") == "中职招生占比"
    assert short_name("班班通（多媒体教室占普通教室比例）") == "多媒体教室占普通教室比例"
    assert short_name("高中阶段毛入学率") == "高中阶段毛入学率"
