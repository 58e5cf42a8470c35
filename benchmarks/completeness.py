"""`uv run python -m benchmarks.completeness [--schools N] [--json OUT]`: what the completeness checks cost, alone.

The year is read and combined once (as a run does); then the checks of ``schemas.completeness`` —
the issues (four errors, one warning) and the status per county × table behind reporting_status —
are timed as the pure functions they are, on the combined frames, median of ``--runs``. Beside them:
the whole combine step (Pandera and every cross-table check, completeness included), for scale.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import polars as pl

from benchmarks.data import ensure_data
from benchmarks.measure import median_call_s
from config import load_regions, load_rules
from edustat.ingest.batches import file_batches
from edustat.ingest.discover import discover_files
from edustat.ingest.files import read_and_normalize_files, read_and_pack_files
from edustat.ingest.stage import combine_files
from edustat.parallel import core_count, process_pool
from schemas.completeness import completeness_issues, county_status


def measure(input_dir: Path, regions_file: Path | None, runs: int) -> dict:
    """Seconds of the completeness checks and of the whole combine step on the year below ``input_dir``."""
    regions = load_regions(regions_file) if regions_file else load_regions()
    rules = load_rules()
    files = discover_files(input_dir)
    workers = core_count()
    batches = file_batches(files, workers)
    start = time.perf_counter()
    if len(files) >= 48:
        pool = process_pool(workers)
        results = [future.result().unpack() for future in [pool.submit(read_and_pack_files, batch, input_dir, rules) for batch in batches]]
    else:
        results = [read_and_normalize_files(batch, input_dir, rules) for batch in batches]
    read_s = time.perf_counter() - start
    staged, issues = combine_files(results, regions, rules)
    tables = dict(staged.items())
    present = {table for result in results for table in result.tables}
    headers = pl.concat([r.headers for r in results], how="vertical")
    checks_s = median_call_s(lambda: completeness_issues(tables, headers, present, regions, rules), runs)
    status_s = median_call_s(lambda: county_status(tables, regions, rules), runs)
    combine_s = median_call_s(lambda: combine_files(results, regions, rules), max(1, runs // 2))
    return {
        "files": len(files),
        "schools": staged.schools.height,
        "counties": len(regions.county_codes()),
        "issues_found": issues.height,
        "read_s": round(read_s, 3),
        "combine_s": round(combine_s, 3),
        "completeness_issues_s": round(checks_s, 3),
        "county_status_s": round(status_s, 3),
        "completeness_total_s": round(checks_s + status_s, 3),
    }


def main() -> None:
    """Measure on the default sample (``--sample DIR``) or a generated one of ``--schools`` schools, and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=530_000)
    parser.add_argument("--sample", type=Path, help="a year folder of the default region (e.g. data/sample/2020) instead of a generated one")
    parser.add_argument("--data", type=Path)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.sample:
        result = measure(args.sample, None, args.runs)
    else:
        data = ensure_data(args.schools, args.seed, args.data)
        result = measure(data.input_dir, data.regions_file, args.runs)
    for name, value in result.items():
        print(f"{name:24s} {value}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
