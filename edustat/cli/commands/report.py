"""`edustat report`: the indicator section of the self-evaluation report, from the warehouse alone."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from config import ConfigError
from edustat.cli.app import app
from edustat.cli.options import Language, LanguageOption, WarehouseOption, YearOption, apply_overrides, console, fail
from edustat.settings import load_settings
from schemas.rules import load_rules

FORMATS = (".html", ".md", ".docx")
"""The extensions `report --out` writes."""


@app.command()
def report(
    year: YearOption,
    out: Annotated[
        Path,
        typer.Option("--out", help="The file to write: .html (self-contained, prints on A4), .md (charts as SVG files beside it) or .docx (Word, GB/T 9704 layout, every figure commented with its source).", dir_okay=False),
    ],
    lang: LanguageOption = Language.zh,
    run: Annotated[int | None, typer.Option("--run", help="Show the values as published by this run (see `edustat history`).", min=1)] = None,
    region: Annotated[str | None, typer.Option("--region", help="Region code to report on (default: the region above the counties, e.g. the prefecture).")] = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Write the report's indicator section: sentences, county tables, bar charts and 存在的困难问题, from the warehouse alone."""
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        given = f"not {out.suffix}" if out.suffix else "and this name has no extension"
        raise fail(f"{out}: the report is written as .html, .md or .docx, {given}; nothing written / 报告只能写成 .html、.md 或 .docx 文件，未写入任何文件", 2)
    from edustat.report import build_report, render_html, render_markdown
    from warehouse.engine import get_engine
    from warehouse.errors import WarehouseError
    from warehouse.report_read import read_report_frames

    apply_overrides(warehouse)
    settings = load_settings()
    _refuse_missing_sqlite(settings.warehouse_url)
    try:
        frames = read_report_frames(get_engine(settings.warehouse_url), year, run)
        rules = load_rules()
        document = build_report(frames, rules.targets, lang.value, region, table_decimals=rules.report.table_decimals)
    except (WarehouseError, ConfigError, ValueError) as error:
        raise fail(str(error), 1) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".docx":
        from edustat.report.word import render_docx

        out.write_bytes(render_docx(document))
    elif suffix == ".md":
        assets_dir = f"{out.stem}_charts"
        rendered = render_markdown(document, assets_dir)
        for relative, svg in rendered.assets.items():
            target = out.parent / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(svg, encoding="utf-8")
        out.write_text(rendered.text, encoding="utf-8")
    else:
        out.write_text(render_html(document), encoding="utf-8")
    pinned = f" (values of run {run})" if run is not None else ""
    console.print(f"report of {year}{pinned} written to {out}")


def _refuse_missing_sqlite(url: str) -> None:
    """A report never creates a warehouse: a SQLite URL must name an existing file."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        if not Path(parsed.database).expanduser().exists():
            raise fail(f"no warehouse at {parsed.database}; run `edustat run --year Y --input DIR` first / 仓库文件不存在", 1)
