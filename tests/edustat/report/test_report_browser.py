"""The report page in a real browser: headless Chromium renders it, dumps the DOM and takes a screenshot (one launch per session)."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from png_pixels import Image, read_png
from report_builders import COUNTIES, VALUES_2019, VALUES_2020, load, prepare_warehouse
from typer.testing import CliRunner

pytestmark = pytest.mark.system

WINDOW = (1280, 4000)
BAR_COLOURS = {(0x3B, 0x6E, 0xA5), (0xD9, 0x82, 0x2B)}
"""The bars' fills (edustat/report/charts.py): on target, below target."""

# Appended to a copy of the page only: measures each bar as laid out and writes the boxes into the DOM.
PROBE = """<script>
document.body.setAttribute('data-bars', JSON.stringify(
  [...document.querySelectorAll('svg.chart')].map(svg => ({
    id: svg.id,
    bars: [...svg.querySelectorAll('rect.bar')].map(r => {
      const b = r.getBoundingClientRect(); const s = getComputedStyle(r);
      return {x: b.x + scrollX, y: b.y + scrollY, w: b.width, h: b.height, visibility: s.visibility, display: s.display};
    })
  }))));
</script>
</body>"""


@dataclass(frozen=True)
class Rendered:
    """What Chromium made of the page: the DOM after layout, the bars' boxes, and the screenshot."""

    dom: str
    charts: list[dict]
    screenshot: Image


class _Text(HTMLParser):
    """The page's visible text and each chart's bars, from the dumped DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.bars_per_chart: dict[str, int] = {}
        self.headings: list[str] = []
        self._chart: str | None = None
        self._skip = 0
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("script", "style", "title"):
            self._skip += 1
        if tag == "h2":
            self._in_heading = True
            self.headings.append("")
        if tag == "svg" and "chart" in (found.get("class") or "").split():
            self._chart = found.get("id") or ""
            self.bars_per_chart[self._chart] = 0
        if tag == "rect" and self._chart is not None and "bar" in (found.get("class") or "").split():
            self.bars_per_chart[self._chart] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title"):
            self._skip -= 1
        if tag == "svg":
            self._chart = None
        if tag == "h2":
            self._in_heading = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)
        if self._in_heading:
            self.headings[-1] += data


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page `edustat report --year 2020` writes from a tiny SQLite warehouse holding 2019 and 2020."""
    from edustat.cli.app import app
    from edustat.cli import commands  # noqa: F401  (registers the commands)

    folder = tmp_path_factory.mktemp("report")
    url = f"sqlite:///{folder / 'warehouse.db'}"
    engine = prepare_warehouse(url)
    load(engine, 2019, VALUES_2019, reason="2019 delivery")
    load(engine, 2020, VALUES_2020, reason="2020 delivery")
    engine.dispose()
    page = folder / "report.html"
    result = CliRunner().invoke(app, ["report", "--year", "2020", "--out", str(page)], env={"EDUSTAT_WAREHOUSE_URL": url})
    assert result.exit_code == 0, result.output
    return page


@pytest.fixture(scope="module")
def rendered(chromium: str, report_page: Path, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """One Chromium launch: the DOM after layout (with the bars' boxes) and a screenshot of the page."""
    folder = tmp_path_factory.mktemp("browser")
    probe = folder / "probe.html"
    probe.write_text(report_page.read_text(encoding="utf-8").replace("</body>", PROBE), encoding="utf-8")
    screenshot = folder / "report.png"
    command = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={folder / 'profile'}", f"--screenshot={screenshot}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
        "--dump-dom", probe.as_uri(),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert screenshot.is_file(), result.stderr[-2000:]
    match = re.search(r'<body[^>]*data-bars="([^"]*)"', result.stdout)
    assert match, "the probe script did not run"
    return Rendered(dom=result.stdout, charts=json.loads(unescape(match.group(1))), screenshot=read_png(screenshot))


def test_each_chart_has_one_visible_bar_per_county(rendered: Rendered) -> None:
    parser = _Text()
    parser.feed(rendered.dom)
    expected = {"chart-preschool_ger", "chart-senior_ger", "chart-vocational_entrant_share", "chart-guard_rate_schools", "chart-balance_school_pass_share_primary"}
    assert set(parser.bars_per_chart) == expected
    assert set(parser.bars_per_chart.values()) == {len(COUNTIES)}
    for chart in rendered.charts:
        assert len(chart["bars"]) == len(COUNTIES), chart["id"]
        for bar in chart["bars"]:
            # Laid out with an area, shown, and inside the page's width.
            assert bar["w"] > 1 and bar["h"] > 1, chart
            assert bar["visibility"] == "visible" and bar["display"] != "none", chart
            assert 0 <= bar["x"] and bar["x"] + bar["w"] <= WINDOW[0], chart


def test_the_screenshot_shows_the_page_and_its_bars(rendered: Rendered) -> None:
    image = rendered.screenshot
    assert (image.width, image.height) == WINDOW
    # Not blank: a good share of sampled pixels are not the white background.
    sampled = [image.pixel(x, y)[:3] for y in range(0, image.height, 8) for x in range(0, image.width, 8)]
    assert sum(1 for p in sampled if p != (255, 255, 255)) > len(sampled) * 0.01
    # Every bar that lies within the screenshot shows its fill colour at its centre.
    checked = 0
    for chart in rendered.charts:
        for bar in chart["bars"]:
            x, y = int(bar["x"] + bar["w"] / 2), int(bar["y"] + bar["h"] / 2)
            if y < image.height:
                assert image.pixel(x, y)[:3] in BAR_COLOURS, (chart["id"], bar)
                checked += 1
    assert checked >= 3  # at least the first chart is inside the window


def test_the_page_text_has_the_prefectures_values_as_the_report_writes_them(rendered: Rendered) -> None:
    parser = _Text()
    parser.feed(rendered.dom)
    text = "".join(parser.parts)
    for expected in (
        "2020年底，学前三年毛入园率达到95.42%，公办幼儿园在园幼儿占比73%，普惠性幼儿园覆盖率为96%。",
        "高中阶段毛入学率达到81.2%，职普比为3:7。",
        "比上年增长15.81%",
        "普通高中降低2.77%",
        "拨付生均公用经费75208.84万元",
        "中小学专职保安配备率为82%",
        "高中阶段毛入学率低，全州为81.2%，分别比全省（95%）、全国（91.2%）低13.8个百分点和10个百分点。",
    ):
        assert expected in text
    # The sections in the report's order.
    assert parser.headings == ["学前教育", "义务教育", "高中阶段", "经费", "教师", "安全", "信息化", "均衡发展", "存在的困难问题"]
