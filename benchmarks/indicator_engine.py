"""`uv run python -m benchmarks.indicator_engine --warehouse URL --regions FILE [--year Y] [--runs N] [--whole-runs N --input DIR]`.

What the indicator engine costs alone: the year's school rows are read once from a loaded warehouse
(as `edustat trace` reads them), then ``compute_indicators`` — every ratio, sum and count from the
catalogue's terms, balance and growth, at every level — is timed as the pure function it is, median
of ``--runs``. With ``--whole-runs N`` and ``--input DIR``, N whole `edustat run`s of that year are
timed too (fresh SQLite file each, background Prefect server started once), median printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from config import load_regions
from edustat.indicators import compute_indicators
from schemas.catalogue import load_catalogue
from schemas.rules import load_rules
from warehouse.engine import make_engine
from warehouse.read import county_tables, year_values


def engine_s(url: str, regions_file: Path, year: int, runs: int) -> dict:
    """Median seconds of ``compute_indicators`` over the year's stored rows, with the sizes it ran on."""
    regions = load_regions(regions_file)
    rules, catalogue = load_rules(), load_catalogue()
    engine = make_engine(url)
    try:
        staged = county_tables(engine, year, sorted(regions.county_codes()))
        previous = year_values(engine, year - 1)
    finally:
        engine.dispose()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        values = compute_indicators(staged, regions, rules, catalogue, previous_values=previous).values
        times.append(time.perf_counter() - start)
    return {
        "schools": staged.schools.height,
        "counties": len(regions.county_codes()),
        "values": values.height,
        "compute_indicators_s": round(statistics.median(times), 3),
        "compute_indicators_all_s": [round(t, 3) for t in times],
    }


def main() -> None:
    """Measure and print the numbers (and write them to ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", required=True, help="a warehouse holding the year (its school rows are read)")
    parser.add_argument("--regions", type=Path, required=True, help="the region file the year was loaded with")
    parser.add_argument("--year", type=int, default=2020)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--whole-runs", type=int, default=0, help="also time this many whole `edustat run`s of --input")
    parser.add_argument("--input", type=Path, help="the year's input folder, for --whole-runs")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = engine_s(args.warehouse, args.regions, args.year, args.runs)
    if args.whole_runs:
        if args.input is None:
            parser.error("--whole-runs needs --input DIR")
        from benchmarks.completeness import whole_run_s

        result["whole_run_s"] = round(whole_run_s(args.input, args.regions, args.whole_runs), 3)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text)


if __name__ == "__main__":
    main()
