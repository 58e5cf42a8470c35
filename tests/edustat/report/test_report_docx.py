"""`edustat report --out FILE.docx` read back from its XML: GB/T 9704 page and fonts, numbered tables that fit the page
with every county and column, one picture per chart, and every figure's comment naming the stored value it shows."""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from docx_reading import SOURCE_LINE_ANY, W, Docx, run_fonts
from report_builders import COUNTIES, PREFECTURE, TARGETS, VALUES_2019, VALUES_2020, load, prepare_warehouse
from typer.testing import CliRunner

REGION_NAMES = {PREFECTURE: "临夏回族自治州", "622901": "临夏市", "622921": "临夏县", "622922": "康乐县"}
TWIPS_PER_MM = 1440 / 25.4
TEXT_WIDTH_TWIPS = (210 - 28 - 26) * TWIPS_PER_MM
CHART_CODES = ("preschool_ger", "senior_ger", "vocational_entrant_share", "guard_rate_schools", "balance_school_pass_share_primary")
"""The charts of the tiny warehouse (as the browser test counts them): the charted codes with county values."""


def _invoke(args: list[str], url: str):
    from edustat.cli import commands  # noqa: F401  (registers the commands)
    from edustat.cli.app import app

    return CliRunner().invoke(app, args, env={"EDUSTAT_WAREHOUSE_URL": url})


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The tiny warehouse (2019 and 2020 loaded by two runs) and the .docx `report --year 2020` writes from it, zh and en."""
    folder = tmp_path_factory.mktemp("docx")
    url = f"sqlite:///{folder / 'warehouse.db'}"
    engine = prepare_warehouse(url)
    runs = {2019: load(engine, 2019, VALUES_2019, reason="2019 delivery"), 2020: load(engine, 2020, VALUES_2020, reason="2020 delivery")}
    engine.dispose()
    paths = {}
    for lang in ("zh", "en"):
        path = folder / f"report-{lang}.docx"
        result = _invoke(["report", "--year", "2020", "--lang", lang, "--out", str(path)], url)
        assert result.exit_code == 0, result.output
        paths[lang] = path
    return {"url": url, "runs": runs, "zh": Docx(paths["zh"]), "en": Docx(paths["en"]), "paths": paths, "folder": folder}


def test_a4_with_the_official_document_margins(written: dict) -> None:
    for lang in ("zh", "en"):
        section = written[lang].section()
        expected = {"width": 210, "height": 297, "top": 37, "bottom": 35, "left": 28, "right": 26}
        for key, mm in expected.items():
            assert section[key] == pytest.approx(mm * TWIPS_PER_MM, abs=2), (lang, key)


def test_every_run_names_an_east_asian_face_and_the_body_is_fangsong_3(written: dict) -> None:
    doc = written["zh"]
    for paragraph in doc.body.iter(f"{W}p"):
        for text, east_asia, _latin, _size in run_fonts(paragraph):
            assert east_asia, text
    paragraphs = doc.paragraphs()
    title = run_fonts(paragraphs[0])
    assert title[0][0] == "临夏回族自治州2020年度履行教育职责自评报告（指标部分）"
    assert title[0][1] == "方正小标宋简体" and title[0][3] == "44"  # 2号 = 22 pt
    by_text = {texts[0][0]: texts for p in paragraphs if (texts := run_fonts(p))}
    assert by_text["一、学前教育"][0][1:] == ("黑体", "Times New Roman", "32")
    sentence = next(p for p in paragraphs if "".join(t for t, *_ in run_fonts(p)).startswith("2020年底，学前三年毛入园率"))
    assert {(east_asia, size) for _, east_asia, _, size in run_fonts(sentence)} == {("仿宋_GB2312", "32")}  # 3号 = 16 pt
    indent = sentence.find(f"{W}pPr/{W}ind")
    assert indent.get(f"{W}firstLineChars") == "200"  # two characters
    # The styles too, so that what the writer types keeps the faces.
    with zipfile.ZipFile(written["paths"]["zh"]) as archive:
        styles = ET.fromstring(archive.read("word/styles.xml"))
    normal = next(s for s in styles.findall(f"{W}style") if s.get(f"{W}styleId") == "Normal")
    assert normal.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "仿宋_GB2312"


def test_english_is_set_in_times_new_roman(written: dict) -> None:
    for paragraph in written["en"].body.iter(f"{W}p"):
        for text, east_asia, latin, _ in run_fonts(paragraph):
            assert latin == "Times New Roman" and east_asia, text
    assert "By the end of 2020, the gross enrolment rate" in written["en"].all_text()


def _captioned(doc: Docx) -> dict[str, list]:
    """Tables grouped under their number: 表1 and its continuations 表1（续）."""
    groups: dict[str, list] = {}
    for table in doc.tables():
        number = re.match(r"^(表\d+|Table \d+)", table.caption)
        assert number, f"a table without a numbered caption: {table.caption!r}"
        groups.setdefault(number.group(1), []).append(table)
    return groups


def test_tables_are_numbered_fit_the_page_and_hold_every_county_and_column(written: dict) -> None:
    groups = _captioned(written["zh"])
    # Sections whose table codes (phrases.toml) have a value in the tiny warehouse: preschool, senior stage, funding,
    # safety, balance; compulsory, teachers and informatization have none.
    assert [parts[0].caption for parts in groups.values()] == ["表1 学前教育", "表2 高中阶段", "表3 经费", "表4 安全", "表5 均衡发展"]
    assert [t.caption for t in groups["表1"][1:]] == ["表1（续）"] * (len(groups["表1"]) - 1)
    for number, parts in groups.items():
        for part in parts:
            assert sum(part.grid_widths_twips) <= TEXT_WIDTH_TWIPS + 2, (number, part.grid_widths_twips)
            assert part.rows[1][0] == "地区" or part.rows[0][0] == "地区"
            assert [row[0] for row in part.rows[2:]] == list(REGION_NAMES.values()), number
    # 表1: the four preschool indicators with a value, three columns each, this year's first.
    preschool = groups["表1"]
    headers = [cell for part in preschool for cell in part.rows[0][1:]]
    names = ["学前三年毛入园率", "公办幼儿园在园幼儿占比", "普惠性幼儿园覆盖率", "普惠性民办幼儿园数"]
    assert [h for i, h in enumerate(headers) if i == 0 or h != headers[i - 1]] == names  # merged cells repeat their text
    subject = [cell for part in preschool for cell in part.rows[2][1:]]
    # Fixed decimals per unit (config/rules.toml [report.table_decimals]: percent 2, count 0); the change is
    # 95.42 − 93.00 = +2.42; no 2019 value for the other three.
    assert subject == ["95.42%", "93.00%", "+2.42", "73.00%", "—", "—", "96.00%", "—", "—", "164个", "—", "—"]
    kangle = preschool[0].rows[5][1:4]
    assert kangle == ["90.00%", "91.00%", "−1.00"]  # 90 − 91


def test_one_print_resolution_picture_per_chart_numbered_below_it(written: dict) -> None:
    doc = written["zh"]
    assert len(doc.media) == len(CHART_CODES)
    captions = [t for t in doc.paragraph_texts() if re.match(r"^图\d+ ", t)]
    assert captions == ["图1 学前三年毛入园率", "图2 高中阶段毛入学率", "图3 职普比(中职招生占比)", "图4 中小学专职保安配备率", "图5 小学达标学校比例"]
    extents = [int(e.get("cx")) for e in doc.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")]
    assert len(extents) == len(CHART_CODES)
    for (name, data), cx in zip(sorted(doc.media.items()), extents):
        assert data[:8] == b"\x89PNG\r\n\x1a\n", name
        width_px = struct.unpack(">I", data[16:20])[0]
        inches = cx / 914400
        assert inches <= 156 / 25.4 + 0.01  # within the text column
        assert width_px / inches >= 300, (name, width_px / inches)


def _number(text: str) -> float:
    """The number a figure shows: 是 → 1, 95.42% → 95.42, 增长15.81% → 15.81, 降低2.77% → −2.77, −1.00 → −1, 3:7 → 30 (a share of ten)."""
    flags = {"是": 1.0, "否": 0.0, "yes": 1.0, "no": 0.0}
    if text in flags:
        return flags[text]
    ratio = re.fullmatch(r"(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)", text)
    if ratio:
        return float(ratio.group(1)) * 10
    found = float(re.search(r"\d+(?:\.\d+)?", text).group())
    return -found if text.startswith(("−", "-", "降低", "down")) else found


STORED = {2020: VALUES_2020, 2019: VALUES_2019}


def test_every_figure_comment_names_its_stored_value_and_run(written: dict) -> None:
    runs = written["runs"]
    comments = written["zh"].comments()
    assert len(comments) > 60
    roles: dict[str, int] = {}
    for comment in comments:
        role = comment.lines[0].rsplit(": ", 1)[1]
        roles[role] = roles.get(role, 0) + 1
        sources = comment.sources()
        assert sources or "目标" in "".join(comment.lines), comment
        for source in sources:
            year = int(source["year"])
            # The comment's code, region, year and run are those of a stored value, and say its value.
            assert int(source["run"]) == runs[year], comment
            assert float(source["value"]) == STORED[year][source["region"]][source["code"]], comment
        shown = comment.anchored
        if role in ("值", "上年值", "最低值", "最高值") and not comment.lines[0].startswith("图"):
            (source,) = sources
            places = len(shown.split(".")[1].rstrip("%个所人万元")) if "." in shown and ":" not in shown else 0
            tolerance = 0.5 * 10**-places * (10 if ":" in shown else 1) + 1e-9
            assert abs(_number(shown) - float(source["value"])) <= tolerance, comment
        if role.startswith("变化"):
            now, before = (float(s["value"]) for s in sources)
            assert _number(shown) == pytest.approx(round(now, 2) - round(before, 2)), comment
        if role.startswith("差距"):
            value = float(sources[0]["value"])
            target = next(float(line.rsplit("· ", 1)[1]) for line in comment.lines if "config/rules.toml" in line)
            assert _number(shown) == pytest.approx(round(target, 2) - round(value, 2)), comment
        if "trace" in comment.lines[-1]:
            assert re.fullmatch(r"edustat trace --year \d{4} --indicator [a-z0-9_]+ --region \d{6}", comment.lines[-1])
    assert {"值", "上年值", "目标"} <= set(roles)
    assert any(role.startswith("变化") for role in roles) and any(role.startswith("差距") for role in roles)


def test_every_table_value_carries_one_comment(written: dict) -> None:
    doc = written["zh"]
    anchored = [c.anchored for c in doc.comments()]
    for table in doc.tables():
        for row in table.rows[2:]:
            for cell in row[1:]:
                if cell != "—":
                    assert cell in anchored, (table.caption, cell)
    # One comment per figure: as many comment ranges in the tables as non-empty value cells.
    cells = sum(1 for t in doc.tables() for row in t.rows[2:] for cell in row[1:] if cell != "—")
    ranges = sum(1 for table in doc.body.findall(f"{W}tbl") for _ in table.iter(f"{W}commentRangeStart"))
    assert ranges == cells


def _commented_spans(paragraph: ET.Element) -> tuple[str, list[bool]]:
    """A paragraph's text and, for each character, whether a comment range covers it."""
    text, covered, depth = [], [], 0
    for element in paragraph.iter():
        if element.tag == f"{W}commentRangeStart":
            depth += 1
        elif element.tag == f"{W}commentRangeEnd":
            depth -= 1
        elif element.tag == f"{W}t":
            text.append(element.text or "")
            covered += [depth > 0] * len(element.text or "")
    return "".join(text), covered


def test_every_number_of_a_sentence_is_a_commented_figure(written: dict) -> None:
    checked = 0
    for paragraph in written["zh"].paragraphs():
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        text, covered = _commented_spans(paragraph)
        if style is not None or re.match(r"^(表|图)\d+", text) or not text:
            continue  # title, headings, captions
        for match in re.finditer(r"\d+(?:\.\d+)?", text):
            # The year and the number of counties compared are words of the sentence, not figures.
            if match.group() == "2020" or text[match.end() :].startswith("个县"):
                continue
            assert all(covered[match.start() : match.end()]), (text, match.group())
            checked += 1
    assert checked >= 20


def test_comments_stay_on_their_figures_when_the_prose_around_them_is_edited(written: dict, tmp_path: Path) -> None:
    import docx

    before = [c.anchored for c in written["zh"].comments()]
    document = docx.Document(str(written["paths"]["zh"]))
    sentence = next(p for p in document.paragraphs if p.text.startswith("2020年底，学前三年毛入园率"))
    sentence.runs[0].text = "截至2020年底，经核实，"  # the writer rewrites the words before the first figure
    sentence.add_run("（数据已复核）")
    edited = tmp_path / "edited.docx"
    document.save(str(edited))
    assert [c.anchored for c in Docx(edited).comments()] == before


def test_the_footer_names_the_run_and_its_reason(written: dict) -> None:
    footer = written["zh"].footer_text()
    assert f"{written['runs'][2020]} (2020 delivery" in footer
    assert "PAGE" in ET.tostring(written["zh"].footers[0], encoding="unicode") or any(
        "PAGE" in ET.tostring(f, encoding="unicode") for f in written["zh"].footers
    )


def test_sentences_keep_the_reports_style_while_tables_fix_decimals(written: dict) -> None:
    text = written["zh"].paragraph_texts()
    assert "2020年底，学前三年毛入园率达到95.42%，公办幼儿园在园幼儿占比73%，普惠性幼儿园覆盖率为96%。" in text
    assert "高中阶段毛入学率低，全州为81.2%，分别比全省（95%）、全国（91.2%）低13.8个百分点和10个百分点。" in text
    assert "存在的困难问题" in "".join(text)


@pytest.mark.parametrize("name", ["r.pdf", "r.txt", "r", "r.DOC"])
def test_an_extension_it_cannot_write_is_refused_and_nothing_written(written: dict, name: str, tmp_path: Path) -> None:
    out = tmp_path / "new" / name
    result = _invoke(["report", "--year", "2020", "--out", str(out)], written["url"])
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert ".html" in message and ".md" in message and ".docx" in message
    assert not out.exists() and not out.parent.exists()


def test_comment_lines_parse(written: dict) -> None:
    # The comment format the README shows: code (name) · region · year · run · value.
    line = f"preschool_ger (学前三年毛入园率) · 622901 临夏市 · 2020 · run {written['runs'][2020]} · 97.5"
    assert SOURCE_LINE_ANY.match(line).group("value") == "97.5"
    assert any(line in c.lines for c in written["zh"].comments())
    assert set(COUNTIES) <= {s["region"] for c in written["zh"].comments() for s in c.sources()}
    assert TARGETS["senior_ger"]["province"] == 95.0
