"""Make chart-sans.otf, the font the report's PNG charts are drawn with, from Noto Sans CJK SC Regular (SIL OFL 1.1).

A subset: ASCII, Latin-1, general and CJK punctuation, full-width forms and the 6763 characters of GB 2312, so that
region and indicator names draw on a machine without CJK fonts. Run once by a developer (needs fontTools and
Debian's fonts-noto-cjk):  uv run --with fonttools python edustat/report/fonts/make_chart_font.py
"""

from __future__ import annotations

from pathlib import Path

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
TARGET = Path(__file__).with_name("chart-sans.otf")
FAMILY = "Edustat Chart Sans"


def gb2312() -> str:
    """Every character GB 2312 encodes (rows 0xA1–0xF7, cells 0xA1–0xFE)."""
    found = []
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                found.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return "".join(found)


def main() -> None:
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(SOURCE))
    font = next(f for f in collection.fonts if "SC" in f["name"].getDebugName(1))
    text = "".join(map(chr, range(0x20, 0x7F))) + "".join(map(chr, range(0xA0, 0x100))) + "".join(map(chr, range(0x2000, 0x2070)))
    text += "".join(map(chr, range(0x3000, 0x3040))) + "".join(map(chr, range(0xFF00, 0xFFF0))) + "−×÷±≤≥" + gb2312()
    options = subset.Options()
    options.layout_features = ["kern", "vert"]
    options.name_IDs = ["*"]
    options.hinting = False
    options.desubroutinize = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    # A modified version takes a name of its own (OFL 1.1, §3 and the FAQ on subsets).
    names = font["name"]
    for record in names.names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID in (3, 4):
            record.string = f"{FAMILY} Regular"
        elif record.nameID == 6:
            record.string = "EdustatChartSans-Regular"
    font["CFF "].cff.fontNames = ["EdustatChartSans-Regular"]
    font.save(str(TARGET))
    print(f"{TARGET}: {TARGET.stat().st_size} bytes")


if __name__ == "__main__":
    main()
