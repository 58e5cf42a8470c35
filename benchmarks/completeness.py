"""`uv run python -m benchmarks.completeness [--schools N] [--json OUT]`: what the completeness checks cost, alone.

The year is read and combined once (as a run does); then the checks of ``schemas.completeness`` —
``assess_completeness`` (the missing rows and the status per county × table behind reporting_status,
worked out once per run) and the issues built from it (four errors, one warning) — are timed as the
pure functions they are, on the combined frames, median of ``--runs``. A run pays their sum once.
Both read each data table's rows paired with the registry (``pair_school_rows``), a join the
unknown-school check needs anyway and that the run makes once; it is timed on its own.
With ``--whole-runs N``, N whole `edustat run`s of the same year are timed too, and the checks' share of one printed. Beside them:
the whole combine step (Pandera and every cross-table check, completeness included), for scale.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from benchmarks.data import ensure_data
from benchmarks.measure import median_call_s, run_process
from config import load_regions
from edustat.ingest.batches import file_batches
from edustat.ingest.discover import discover_files
from edustat.ingest.files import read_and_normalize_files, read_and_pack_files
from edustat.ingest.stage import combine_year
from runtime.local_server import ensure_server, stop_server
from runtime.worker_pool import core_count, process_pool
from schemas.completeness.checks import completeness_issues
from schemas.completeness.status import assess_completeness
from schemas.rules import load_rules
from schemas.school_rows import pair_school_rows


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
    combined = combine_year(results, regions, rules)
    staged, issues = combined.staged, combined.issues
    tables = dict(staged.items())
    present = {table for result in results for table in result.tables}
    headers = pl.concat([r.headers for r in results], how="vertical")
    school_rows = pair_school_rows(tables)
    pair_s = median_call_s(lambda: pair_school_rows(tables), runs)
    completeness = assess_completeness(tables, regions, rules, school_rows=school_rows)
    status_s = median_call_s(lambda: assess_completeness(tables, regions, rules, school_rows=school_rows), runs)
    checks_s = median_call_s(lambda: completeness_issues(tables, headers, present, completeness, regions, rules), runs)
    combine_s = median_call_s(lambda: combine_year(results, regions, rules), max(1, runs // 2))
    return {
        "files": len(files),
        "schools": staged.schools.height,
        "counties": len(regions.county_codes()),
        "issues_found": issues.height,
        "read_s": round(read_s, 3),
        "combine_s": round(combine_s, 3),
        "pair_school_rows_s": round(pair_s, 3),
        "assess_completeness_s": round(status_s, 3),
        "completeness_issues_s": round(checks_s, 3),
        "completeness_total_s": round(checks_s + status_s, 3),
    }


def whole_run_s(input_dir: Path, regions_file: Path | None, runs: int, base: Path | None = None) -> float:
    """Median seconds of a whole `edustat run` of ``input_dir`` into a fresh SQLite file (or a fresh copy of the SQLite file
    ``base``, which holds the previous year), the background Prefect server started beforehand."""
    with tempfile.TemporaryDirectory(prefix="edustat-completeness-") as scratch_dir:
        scratch = Path(scratch_dir)
        home = scratch / "prefect-home"
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {"PREFECT_HOME": str(home)}
        ensure_server(home)
        try:
            times = []
            for attempt in range(runs):
                if base is not None:
                    shutil.copyfile(base, scratch / f"run{attempt}.db")
                command = [sys.executable, "-m", "edustat.cli", "run", "--year", "2020", "--input", str(input_dir),
                           "--warehouse", f"sqlite:///{scratch / f'run{attempt}.db'}"]
                if regions_file is not None:
                    command += ["--regions", str(regions_file)]
                measured = run_process(command, env=env)
                if measured.returncode != 0:
                    raise SystemExit(f"edustat run failed ({measured.returncode}): {measured.stderr[-2000:]}")
                times.append(measured.wall_s)
        finally:
            stop_server(home)
    return statistics.median(times)


def main() -> None:
    """Measure on the default sample (``--sample DIR``) or a generated one of ``--schools`` schools, and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=530_000)
    parser.add_argument("--sample", type=Path, help="a year folder of the default region (e.g. edustat-demo/data/2020) instead of a generated one")
    parser.add_argument("--data", type=Path)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--whole-runs", type=int, default=0, help="also time this many whole `edustat run`s of the year, and the checks' share of one")
    args = parser.parse_args()
    if args.sample:
        input_dir, regions_file = args.sample, None
    else:
        data = ensure_data(args.schools, args.seed, args.data)
        input_dir, regions_file = data.input_dir, data.regions_file
    result = measure(input_dir, regions_file, args.runs)
    if args.whole_runs:
        result["whole_run_s"] = round(whole_run_s(input_dir, regions_file, args.whole_runs), 3)
        result["completeness_share_pct"] = round(100 * result["completeness_total_s"] / result["whole_run_s"], 2)
    for name, value in result.items():
        print(f"{name:24s} {value}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
