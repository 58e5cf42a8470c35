"""`uv run python -m benchmarks.report_docx --warehouse URL [--year 2020] [--runs 3]`: what `edustat report` costs.

Whole processes first (interpreter start and imports included, as the report writer waits for them): `report --out
r.html` and `report --out r.docx`, median of ``--runs``, with the peak memory. Then, in this process, the phases of
the Word document: reading the warehouse, building the report model, and rendering the .docx (of which the PNG charts
and the Word comments), each the median of ``--runs``. Make a warehouse with `edustat demo` (the sample) or
`edustat sample --scale national` and `edustat run` (docs/how-to/national-scale.md).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from benchmarks.measure import EDUSTAT, median_call_s, run_process


def _median_s(call, runs: int) -> float:  # noqa: ANN001 - a callable of no argument
    return round(median_call_s(call, runs), 3)


def main() -> None:
    """Print the whole-process times of the HTML and Word reports and the phases of the Word one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", required=True, help="SQLAlchemy URL of a warehouse holding the year")
    parser.add_argument("--year", type=int, default=2020)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    env = {**os.environ, "EDUSTAT_WAREHOUSE_URL": args.warehouse}
    with tempfile.TemporaryDirectory() as scratch:
        for name in ("r.html", "r.docx"):
            measured = [run_process([*EDUSTAT, "report", "--year", str(args.year), "--out", str(Path(scratch) / name)], env=env) for _ in range(args.runs)]
            failed = [m for m in measured if m.returncode != 0]
            if failed:
                raise SystemExit(failed[0].stdout + failed[0].stderr)
            wall = statistics.median(m.wall_s for m in measured)
            peak = max(m.peak_rss_mb for m in measured)
            print(f"edustat report --out {name:7}  {wall:7.2f} s whole process (median of {args.runs}), peak {peak:.0f} MB")

    from sqlalchemy import create_engine

    from edustat.report import build_report, word
    from edustat.report.charts_png import png
    from schemas.rules import load_rules
    from warehouse.report_read import read_report_frames

    engine = create_engine(args.warehouse)
    rules = load_rules()
    frames = read_report_frames(engine, args.year)
    report = build_report(frames, rules.targets, "zh", table_decimals=rules.report.table_decimals)
    charts = [chart for section in report.sections for chart in section.charts]
    figures = sum(len(getattr(text, "figures", ())) for section in report.sections for text in section.sentences)
    cells = sum(1 for section in report.sections if section.table for row in section.table.rows for cell in row[1:] if cell != "—")
    print(f"report: {len(report.sections)} sections, {len(charts)} charts, {cells} table values, {figures} figures in sentences")
    print(f"  read the warehouse     {_median_s(lambda: read_report_frames(engine, args.year), args.runs):7.3f} s")
    print(f"  build the model        {_median_s(lambda: build_report(frames, rules.targets, 'zh', table_decimals=rules.report.table_decimals), args.runs):7.3f} s")
    print(f"  render the .docx       {_median_s(lambda: word.render_docx(report), args.runs):7.3f} s")
    print(f"    of which PNG charts  {_median_s(lambda: [png(c.drawing, with_title=False) for c in charts], args.runs):7.3f} s")
    engine.dispose()


if __name__ == "__main__":
    main()
