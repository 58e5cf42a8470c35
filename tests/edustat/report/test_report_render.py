"""edustat/report/document.py, tables.py, html.py, markdown.py: the page in the report's order, its county tables and footer."""

from __future__ import annotations

import re
from dataclasses import replace
import xml.etree.ElementTree as ET

from report_builders import PREFECTURE, TARGETS, report_frames

from edustat.report import build_report, render_html, render_markdown
from edustat.report.context import build_context
from edustat.report.phrases import load_phrases
from edustat.report.tables import county_table

ORDER_ZH = ["学前教育", "义务教育", "高中阶段", "经费", "教师", "安全", "信息化", "均衡发展"]


def test_county_table_has_this_year_last_year_and_change() -> None:
    context = build_context(report_frames(), load_phrases(), TARGETS, "zh")
    table = county_table(context, ("preschool_ger", "video_rate"))
    # video_rate has no value in either year: its columns are left out.
    assert table.groups == (("", 1), ("学前三年毛入园率", 3))
    assert table.columns == ("地区", "2020", "2019", "变化（百分点）")
    assert table.rows == (
        ("临夏回族自治州", "95.42%", "93%", "+2.42"),  # 95.42 − 93
        ("临夏市", "97.5%", "95%", "+2.5"),
        ("临夏县", "93.1%", "92%", "+1.1"),
        ("康乐县", "90%", "91%", "−1"),
    )
    assert county_table(context, ("video_rate",)) is None


def test_sections_in_the_report_order_then_difficulties() -> None:
    report = build_report(report_frames(), TARGETS, "zh")
    assert [s.title for s in report.sections] == ORDER_ZH
    page = render_html(report)
    positions = [page.index(f"<h2>{title}</h2>") for title in [*ORDER_ZH, "存在的困难问题"]]
    assert positions == sorted(positions)
    assert "高中阶段毛入学率低，全州为81.2%，分别比全省（95%）、全国（91.2%）低13.8个百分点和10个百分点。" in page
    # Self-contained: nothing is fetched.
    assert not re.search(r"""(src|href)=["']?https?:""", page)
    assert "<script" not in page


def test_a_section_without_values_says_so() -> None:
    report = build_report(report_frames(), TARGETS, "zh")
    informatization = next(s for s in report.sections if s.key == "informatization")
    assert informatization.no_data == "本年暂无本部分指标的数据。"
    assert next(s for s in report.sections if s.key == "preschool").no_data is None


def test_english_page_uses_the_catalogue_names() -> None:
    report = build_report(report_frames(), TARGETS, "en")
    assert [s.title for s in report.sections][:3] == ["Preschool education", "Compulsory education", "Senior secondary stage"]
    page = render_html(report)
    assert '<html lang="en">' in page
    assert "Gross enrolment rate, three years of preschool" in page
    assert "学前三年毛入园率" not in page


def test_every_chart_of_the_page_is_well_formed_svg() -> None:
    page = render_html(build_report(report_frames(), TARGETS, "zh"))
    charts = re.findall(r"<svg .*?</svg>", page, flags=re.S)
    # preschool_ger, senior_ger, vocational_entrant_share, guard_rate_schools, balance_school_pass_share_primary.
    assert len(charts) == 5
    for svg in charts:
        ET.fromstring(svg)


def test_footer_names_the_runs_behind_the_values() -> None:
    report = build_report(report_frames(reason="county 622921 corrected"), TARGETS, "zh")
    assert report.footer == "本页数值为仓库中 2020 年的当前值，来自运行：1 (county 622921 corrected, 2021-03-01 02:05 UTC)。"


def test_pinned_footer_names_the_run_and_its_reason() -> None:
    frames = report_frames(reason="county 622921 corrected")
    pinned = replace(frames, pinned_run=1)
    assert build_report(pinned, TARGETS, "zh").footer == (
        "本页数值为第 1 次运行（2020 年，手动，完成于 2021-03-01 02:05 UTC）发布的版本。运行原因：county 622921 corrected。"
    )
    assert build_report(pinned, TARGETS, "en").footer == (
        "Values as published by run 1 (2020, manual, finished 2021-03-01 02:05 UTC). Reason: county 622921 corrected."
    )


def test_markdown_links_each_chart_as_a_file() -> None:
    rendered = render_markdown(build_report(report_frames(), TARGETS, "zh"), "report_charts")
    assert rendered.text.startswith("# 临夏回族自治州2020年度履行教育职责自评报告（指标部分）")
    assert "## 学前教育" in rendered.text
    assert "| **临夏回族自治州** | 95.42% | 93% | +2.42 |" in rendered.text
    assert "![学前三年毛入园率](report_charts/chart-preschool_ger.svg)" in rendered.text
    assert sorted(rendered.assets) == sorted(
        f"report_charts/chart-{code}.svg"
        for code in ("preschool_ger", "senior_ger", "vocational_entrant_share", "guard_rate_schools", "balance_school_pass_share_primary")
    )


def test_no_difficulty_sentence_claims_success_without_values() -> None:
    report = build_report(report_frames({PREFECTURE: {"preschool_ger": 95.0}, "622901": {"preschool_ger": 95.0}}), TARGETS, "zh")
    assert report.difficulties == ()
    met = build_report(report_frames({PREFECTURE: {"senior_ger": 99.0}, "622901": {"senior_ger": 99.0}}), TARGETS, "zh")
    assert met.difficulties == ("各项有目标的指标均已达到全省和全国目标。",)
