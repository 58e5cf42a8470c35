"""edustat/report/charts.py: one bar per compared region, target lines where config/ has targets."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from report_builders import TARGETS, report_frames

from edustat.report.charts import LABEL_WIDTH, VALUE_WIDTH, WIDTH, Bar, Line, bar_chart, indicator_chart, label_rows, nice_ceiling
from edustat.report.context import build_context
from edustat.report.phrases import load_phrases

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _by_class(root: ET.Element, tag: str, css: str) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}{tag}") if css in e.get("class", "").split()]


@pytest.mark.parametrize(("value", "expected"), [(97.5, 100), (100, 100), (0.85, 1), (512345.6, 1_000_000), (120, 200), (24, 25), (3, 5)])
def test_nice_ceiling(value: float, expected: float) -> None:
    assert nice_ceiling(value) == pytest.approx(expected)


def test_bars_and_lines_are_placed_on_the_scale() -> None:
    svg = bar_chart("t", [Bar("甲", 50.0, "50%", "1"), Bar("乙", 25.0, "25%", "2")], [Line("全省 95%", 95.0, True)], "c")
    root = _parse(svg)
    bars = _by_class(root, "rect", "bar")
    assert [b.get("data-region") for b in bars] == ["1", "2"]
    # Scale 0..100 (nice ceiling of 95) over the plot width WIDTH − LABEL_WIDTH − VALUE_WIDTH = 760 − 230 − 110 = 420 px.
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    assert plot == 420
    assert [float(b.get("width")) for b in bars] == [210.0, 105.0]  # 50% and 25% of 420
    assert {float(b.get("x")) for b in bars} == {230.0}
    (target,) = _by_class(root, "line", "target-line")
    assert float(target.get("x1")) == pytest.approx(230 + 0.95 * 420)  # 629
    # Both bars lie below the 95 target.
    assert len(_by_class(root, "rect", "below-target")) == 2


def test_a_region_without_value_has_no_bar_but_keeps_its_label() -> None:
    root = _parse(bar_chart("t", [Bar("甲", None, "—"), Bar("乙", 10.0, "10")], [], "c"))
    assert len(_by_class(root, "rect", "bar")) == 1
    assert [t.text for t in _by_class(root, "text", "bar-label")] == ["甲", "乙"]


def test_negative_values_extend_left_of_zero() -> None:
    # Domain −50..100 (nice ceiling of 100): zero at 230 + 50/150 × 420 = 370.
    root = _parse(bar_chart("t", [Bar("a", -50.0, "-50"), Bar("b", 100.0, "100")], [], "c"))
    low, high = _by_class(root, "rect", "bar")
    assert float(low.get("x")) == pytest.approx(230.0)
    assert float(low.get("width")) == pytest.approx(140.0)
    assert float(high.get("x")) == pytest.approx(370.0)


def test_close_labels_go_on_different_rows() -> None:
    # Two 60 px labels 10 px apart overlap: the second goes one row down; a far one returns to the first row.
    assert label_rows([(100.0, 60.0), (110.0, 60.0), (400.0, 60.0)]) == [0, 1, 0]


def test_indicator_chart_compares_counties_with_the_targets() -> None:
    context = build_context(report_frames(), load_phrases(), TARGETS, "zh")
    root = _parse(indicator_chart(context, "senior_ger"))
    assert len(_by_class(root, "rect", "bar")) == 3  # one per county
    assert [t.text for t in _by_class(root, "text", "target-line-label")] == ["全省 95%", "全国 91.2%"]
    assert [t.text for t in _by_class(root, "text", "reference-line-label")] == ["全州 81.2%"]
    # preschool_ger has no target: no target line.
    assert _by_class(_parse(indicator_chart(context, "preschool_ger")), "line", "target-line") == []
    # No county has a value: no chart.
    assert indicator_chart(context, "video_rate") is None


def test_text_is_escaped() -> None:
    root = _parse(bar_chart("<b>&", [Bar("<script>", 1.0, "1")], [], "c"))
    assert root.find(f"{SVG}title").text == "<b>&"
    assert _by_class(root, "text", "bar-label")[0].text == "<script>"
