"""The report on paper, from the sample's own warehouse (the session's `edustat demo`, tests/edustat/demo_run.py): the .docx holds every published figure of 2020
as the report writes it; LibreOffice prints it to A4 PDF and Chromium prints the HTML to A4 PDF, and pdftotext finds
every table value on the pages, none outside them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx_reading import Docx

from tests.cli_runner import run_edustat
from tests.edustat.demo_run import DemoRun

pytestmark = pytest.mark.system

A4_POINTS = (595.3, 841.9)


def _is_a4(width: float, height: float) -> bool:
    """A4 upright or on its side."""
    return sorted((width, height)) == pytest.approx(sorted(A4_POINTS), abs=2)


@pytest.fixture(scope="module")
def sample(demo_run: DemoRun, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The report of 2020 as .docx and .html, in Chinese and English, from the session's `edustat demo` warehouse (the sample's 2019 and 2020)."""
    folder = tmp_path_factory.mktemp("print")
    # The demo keeps its warehouse in its own folder; the reports read that one.
    env = {**demo_run.env, "EDUSTAT_WAREHOUSE_URL": demo_run.warehouse_url}
    written = {}
    for name in ("report.docx", "report-en.docx", "report.html", "report-en.html"):
        lang = "en" if "-en" in name else "zh"
        result = run_edustat("report", "--year", "2020", "--lang", lang, "--out", str(folder / name), cwd=folder, env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        written[name] = folder / name
    return {"folder": folder, "url": env["EDUSTAT_WAREHOUSE_URL"], **written}


def _stored(url: str, region: str, year: int) -> dict[str, float | None]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("select indicator_code, value from indicator_value where region_code = :r and year = :y and is_current"),
                {"r": region, "y": year},
            ).all()
    finally:
        engine.dispose()
    return dict(rows)


def _fixed(value: float, places: int) -> str:
    return str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def test_every_published_figure_of_2020_is_in_the_word_document_as_the_report_writes_it(sample: dict) -> None:
    from edustat.report.phrases import load_phrases
    from schemas.catalogue import load_catalogue
    from schemas.rules import load_rules

    catalogue = load_catalogue()
    decimals = load_rules().report.table_decimals
    phrases = load_phrases()
    in_tables = {code for section in phrases.sections.values() for code in section.table}
    stored = _stored(sample["url"], catalogue.report_region, catalogue.report_year)
    doc = Docx(sample["report.docx"])
    subject_rows = [row[1:] for table in doc.tables() for row in table.rows[2:3]]
    subject_cells = {cell for row in subject_rows for cell in row}
    published = [i for i in catalogue.indicators if i.report is not None and stored.get(i.code) is not None]
    assert len(published) >= 25
    checked = 0
    for indicator in published:
        if indicator.code not in in_tables or indicator.unit == "flag":
            continue
        # The prefecture's row: the stored value at the unit's fixed decimals, with the unit (95.42%, 75208.84万元).
        expected = _fixed(stored[indicator.code], decimals[indicator.unit]) + indicator.unit_zh
        assert expected in subject_cells, (indicator.code, expected)
        checked += 1
    assert checked >= 10
    # And the published figures the sentences give, as the report writes them (published 73 → 73%).
    text = doc.all_text()
    assert f"学前三年毛入园率达到{_fixed(stored['preschool_ger'], 2).rstrip('0').rstrip('.')}%" in text
    assert "拨付生均公用经费75208.84万元" in text


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "libreoffice-writer", "poppler-utils"]
        if subprocess.run(install, env=env, capture_output=True, timeout=1800).returncode != 0:
            subprocess.run(["apt-get", "update"], env=env, capture_output=True, timeout=1800)
            subprocess.run(install, env=env, capture_output=True, timeout=1800)
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.skip("LibreOffice is not installed and cannot be installed here: `apt-get install -y libreoffice-writer poppler-utils`")
    return found


def _pdf_words(pdf: Path) -> tuple[str, list[tuple[float, float, float, float]], list[tuple[float, float]]]:
    """The PDF's text without whitespace, every word's box as a share of its page's width and height (0 to 1 when on
    the paper), and every page's size in points (poppler's pdftotext -bbox)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed: `apt-get install -y poppler-utils`")
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, timeout=300, check=True).stdout
    pages: list[tuple[float, float]] = []
    boxes: list[tuple[float, float, float, float]] = []
    for width, height, words in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, flags=re.S):
        w, h = float(width), float(height)
        pages.append((w, h))
        for box in re.findall(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)"', words):
            x0, y0, x1, y1 = map(float, box)
            boxes.append((x0 / w, y0 / h, x1 / w, y1 / h))
    plain = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=300, check=True).stdout
    return re.sub(r"\s+", "", plain), boxes, pages


def _values(doc: Docx) -> set[str]:
    return {cell for table in doc.tables() for row in table.rows[2:] for cell in row[1:] if cell != "—"}


@pytest.fixture(scope="module")
def libreoffice_pdfs(sample: dict) -> dict[str, Path]:
    """Both Word documents printed to PDF by one LibreOffice run (its start-up is most of the time), keyed by document name."""
    soffice = _soffice()
    folder = sample["folder"] / "pdf"
    folder.mkdir()
    names = ["report.docx", "report-en.docx"]
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--convert-to", "pdf", "--outdir", str(folder), *(str(sample[name]) for name in names)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    pdfs = {name: folder / name.replace(".docx", ".pdf") for name in names}
    assert all(pdf.is_file() for pdf in pdfs.values()), result.stdout + result.stderr
    return pdfs


@pytest.mark.parametrize("name", ["report.docx", "report-en.docx"])
def test_libreoffice_prints_the_word_document_on_a4_with_every_table_value(sample: dict, libreoffice_pdfs: dict[str, Path], name: str) -> None:
    pdf = libreoffice_pdfs[name]
    text, boxes, pages = _pdf_words(pdf)
    # Upright A4 throughout (the Word document splits wide tables rather than turning pages).
    assert pages and all(w == pytest.approx(A4_POINTS[0], abs=2) and h == pytest.approx(A4_POINTS[1], abs=2) for w, h in pages)
    values = _values(Docx(sample[name]))
    assert len(values) > 100
    missing = sorted(v for v in values if re.sub(r"\s+", "", v) not in text)
    assert not missing, missing[:20]
    assert boxes and all(0 <= x0 and x1 <= 1 for x0, _, x1, _ in boxes)


def test_chromium_prints_the_html_on_a4_with_every_table_value_on_the_page(sample: dict, chromium: str) -> None:
    folder = sample["folder"] / "browser"
    folder.mkdir()
    pdf = folder / "report.pdf"
    command = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-pdf-header-footer",
        f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={pdf}", sample["report.html"].as_uri(),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert pdf.is_file(), result.stderr[-2000:]
    text, boxes, pages = _pdf_words(pdf)
    assert pages and all(_is_a4(w, h) for w, h in pages)
    page = sample["report.html"].read_text(encoding="utf-8")
    cells = set(re.findall(r"<td>([^<]+)</td>", page)) - {"—"}
    assert len(cells) > 100
    missing = sorted(c for c in cells if re.sub(r"\s+", "", c) not in text)
    assert not missing, missing[:20]
    # Nothing printed beyond the paper's right edge (a cut table), every word inside the page.
    assert boxes and all(0 <= x0 and x1 <= 1 for x0, _, x1, _ in boxes), max(b[2] for b in boxes)


# Appended to a copy of the page: each table's box, as laid out on screen, written into the DOM.
OVERFLOW_PROBE = """<script>
document.body.setAttribute('data-tables', JSON.stringify(
  [...document.querySelectorAll('div.table-wrap')].map(d => [d.scrollWidth, d.clientWidth])));
document.body.setAttribute('data-charts', JSON.stringify(
  [...document.querySelectorAll('svg.chart text.bar-label')].map(t => t.getBBox().x)));
</script></body>"""


@pytest.mark.parametrize("name", ["report.html", "report-en.html"])
def test_on_screen_no_table_needs_a_scrollbar_and_no_county_name_is_clipped(sample: dict, chromium: str, name: str) -> None:
    import json
    from html import unescape

    folder = sample["folder"] / f"screen-{name}"
    folder.mkdir()
    probe = folder / "probe.html"
    probe.write_text(sample[name].read_text(encoding="utf-8").replace("</body>", OVERFLOW_PROBE), encoding="utf-8")
    command = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        f"--user-data-dir={folder / 'profile'}", "--window-size=1280,4000", "--dump-dom", probe.as_uri(),
    ]  # fmt: skip
    dom = subprocess.run(command, capture_output=True, text=True, timeout=180).stdout
    tables = json.loads(unescape(re.search(r'data-tables="([^"]*)"', dom).group(1)))
    labels = json.loads(unescape(re.search(r'data-charts="([^"]*)"', dom).group(1)))
    assert tables and all(scroll <= client for scroll, client in tables), tables
    # A label right-aligned before the bars starts inside its chart (x ≥ 0), the longest county name included.
    assert labels and min(labels) >= 0, min(labels)
