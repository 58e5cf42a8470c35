"""Fixed decimals in the county tables (config/rules.toml [report.table_decimals]) and the PNG charts' shipped font."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pydantic import ValidationError
from report_builders import TARGETS, report_frames

from config import ReportRules, load_regions
from edustat.report import build_report
from edustat.report.charts import Bar, Line, layout
from edustat.report.charts_png import SCALE, missing_glyphs, png
from edustat.report.numbers import change, fixed
from schemas.rules import load_rules


@pytest.mark.parametrize(
    ("value", "places", "unit", "lang", "expected"),
    [
        (73.0, 2, "%", "zh", "73.00%"),
        (95.425, 2, "%", "zh", "95.43%"),  # half away from zero, as Excel rounds
        (13809.6, 2, "万元", "zh", "13809.60万元"),
        (12.4, 0, "persons", "en", "12 persons"),
        (-0.001, 2, "%", "en", "0.00%"),  # no minus zero
        (0.4526, 3, "", "zh", "0.453"),
    ],
)
def test_fixed(value: float, places: int, unit: str, lang: str, expected: str) -> None:
    assert fixed(value, places, unit, lang) == expected


def test_change_with_fixed_decimals_is_the_difference_of_the_cells_as_written() -> None:
    assert change(95.42, 93.0, "percent", 2) == "+2.42"
    assert change(90.0, 91.0, "percent", 2) == "−1.00"
    assert change(73.004, 72.996, "percent", 2) == "0.00"  # 73.00 − 73.00
    assert change(90.0, 91.0, "percent") == "−1"  # without fixed decimals, as before


def test_the_rules_fix_percent_to_two_decimals_and_refuse_unknown_units() -> None:
    assert load_rules().report.table_decimals["percent"] == 2
    with pytest.raises(ValidationError, match="unknown unit"):
        ReportRules(table_decimals={"percents": 2})
    with pytest.raises(ValidationError, match="0 to 6"):
        ReportRules(table_decimals={"percent": -1})


def test_tables_take_the_configured_decimals_and_sentences_keep_their_style() -> None:
    one = build_report(report_frames(), TARGETS, "zh", table_decimals={"percent": 1})
    preschool = one.sections[0]
    assert preschool.table.rows[0][1:4] == ("95.4%", "93.0%", "+2.4")  # 95.4 − 93.0
    assert preschool.sentences[0] == "2020年底，学前三年毛入园率达到95.42%，公办幼儿园在园幼儿占比73%，普惠性幼儿园覆盖率为96%。"


def test_every_configured_region_name_draws_in_the_shipped_chart_font() -> None:
    names = "".join(r.name_zh for r in load_regions().regions)
    assert names and missing_glyphs(names) == set()
    assert missing_glyphs("𠀀") == {"𠀀"}  # a character outside GB 2312 is reported, so the check can fail


def test_the_png_chart_is_the_layout_drawn_at_scale() -> None:
    drawing = layout("学前三年毛入园率", [Bar("临夏市", 50.0, "50%"), Bar("康乐县", 25.0, "25%")], [Line("全省 95%", 95.0, True)], "c")
    image = Image.open(io.BytesIO(png(drawing))).convert("RGB")
    assert image.size == (drawing.width * SCALE, drawing.height * SCALE)
    assert image.info["dpi"][0] == pytest.approx(300, abs=1)
    # The first bar's middle (it spans 230 to 230 + 50% of the 420 px plot, the axis ending at 100) is in the
    # below-target colour, 50 < 95; right of its end the page is white.
    y = (72 + 10) * SCALE
    assert image.getpixel(((230 + 105) * SCALE, y)) == (0xD9, 0x82, 0x2B)
    assert image.getpixel(((230 + 300) * SCALE, y)) == (255, 255, 255)
    untitled = Image.open(io.BytesIO(png(drawing, with_title=False)))
    assert untitled.size[1] < image.size[1]
