"""`uv run python -m benchmarks.checks --sample DIR/2020 [--previous DIR/2019]`: what the relationship checks and the outliers cost, and how many schools the outliers flag.

The year (and the previous year, standing in for what the warehouse holds of it) is read and
combined once, as a run does; then the checks of config/checks.toml (``schemas.checks.check_issues``)
and the outliers (``schemas.outliers.outlier_issues``: against the previous year and the peers) are
timed as the pure functions they are, median of ``--runs`` (wall seconds, and CPU seconds of every
thread: on a shared machine these move less with the load). A run pays their sum once. Beside them:
the whole combine step, for scale. With ``--warehouse FILE`` (a SQLite warehouse holding the previous
year), the read of the previous year that the outliers need is timed too, beside the read of its
enrollment alone that runs made before the outliers existed: their difference is also the outliers'.
With ``--whole-runs N``, the median of N whole `edustat run`s (on copies of ``--warehouse`` when
given) and the share of one that the checks and outliers add (contract target: ≤ 3 % at national
scale, ≤ 0.5 s on the sample).

The share of schools flagged is the schools with at least one outlier warning over all schools of
the year (target: ≤ 1 % on clean data).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import polars as pl
from sqlalchemy import create_engine

from benchmarks.completeness import whole_run_s
from benchmarks.measure import median_call_cpu_s, median_call_s
from config import RegionTree, Rules, load_regions
from edustat.ingest.batches import file_batches
from edustat.ingest.discover import discover_files
from edustat.ingest.files import FileResult, read_and_normalize_files, read_and_pack_files
from edustat.ingest.stage import combine_year
from runtime.worker_pool import core_count, process_pool
from schemas.catalogue import load_checks
from schemas.checks import check_issues
from schemas.outliers import outlier_issues
from schemas.rules import load_rules
from schemas.tables import PROVENANCE_COLUMNS, TABLES, numeric_columns
from warehouse.read import PREVIOUS_YEAR_TABLES, previous_enrollment, previous_year


def read_year(input_dir: Path, rules: Rules) -> list[FileResult]:
    """Every file of the year read and normalised, in worker processes for a large input."""
    files = discover_files(input_dir)
    workers = core_count()
    batches = file_batches(files, workers)
    if len(files) >= 48:
        pool = process_pool(workers)
        return [future.result().unpack() for future in [pool.submit(read_and_pack_files, batch, input_dir, rules) for batch in batches]]
    return [read_and_normalize_files(batch, input_dir, rules) for batch in batches]


def as_stored(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The tables as ``warehouse.read.previous_year`` gives them back: key and numeric columns of the school-level tables."""
    numeric = numeric_columns()
    return {
        name: tables[name].select(*(c for c in ("school_code", "stage") if c in TABLES[name].column_names), *numeric[name])
        for name in PREVIOUS_YEAR_TABLES
    }


def flagged_schools(issues: pl.DataFrame, tables: dict[str, pl.DataFrame]) -> int:
    """Schools with at least one of ``issues`` (matched by the row it points at)."""
    rows = pl.concat([tables[name].select(*PROVENANCE_COLUMNS, "school_code") for name in PREVIOUS_YEAR_TABLES])
    return issues.join(rows, on=list(PROVENANCE_COLUMNS), how="inner").get_column("school_code").n_unique()


def measure(input_dir: Path, previous_dir: Path | None, regions: RegionTree, runs: int) -> dict:
    """Seconds of the checks and of the outliers on the year below ``input_dir``, and the schools the outliers flag."""
    rules = load_rules()
    checks = load_checks()
    results = read_year(input_dir, rules)
    combined = combine_year(results, regions, rules)
    staged, issues = combined.staged, combined.issues
    tables = dict(staged.items())
    headers = pl.concat([r.headers for r in results], how="vertical")
    previous = None
    if previous_dir is not None:
        previous_staged = combine_year(read_year(previous_dir, rules), regions, rules).staged
        previous = as_stored(dict(previous_staged.items()))
    checks_s, checks_cpu_s = median_call_cpu_s(lambda: check_issues(checks, tables, headers, rules), runs)
    outliers_s, outliers_cpu_s = median_call_cpu_s(lambda: outlier_issues(tables, previous, headers, regions, rules), runs)
    combine_s = median_call_s(lambda: combine_year(results, regions, rules, previous_year=previous), max(1, runs // 2))
    outliers = outlier_issues(tables, previous, headers, regions, rules)
    schools = staged.schools.height
    flagged = flagged_schools(outliers, tables)
    return {
        "schools": schools,
        "checks": len(checks.checks),
        "check_issues_found": check_issues(checks, tables, headers, rules).height,
        "issues_found": issues.height,
        "previous_year": previous is not None,
        "checks_s": round(checks_s, 3),
        "outliers_s": round(outliers_s, 3),
        "checks_and_outliers_s": round(checks_s + outliers_s, 3),
        "checks_cpu_s": round(checks_cpu_s, 3),
        "outliers_cpu_s": round(outliers_cpu_s, 3),
        "combine_s": round(combine_s, 3),
        "outlier_warnings": outliers.height,
        "outlier_warnings_by_rule": dict(outliers.group_by("rule").len().sort("rule").iter_rows()),
        "schools_flagged": flagged,
        "schools_flagged_pct": round(100 * flagged / schools, 3) if schools else None,
    }


def measure_read(warehouse: Path, year: int, runs: int) -> dict:
    """Seconds to read the previous year of ``year`` from the SQLite file ``warehouse``: all that the outliers compare, and the
    enrollment alone (all a run read before them); the difference is what the outliers add to a run's reading."""
    engine = create_engine(f"sqlite:///{warehouse}")
    rows = sum(frame.height for frame in previous_year(engine, year).values())
    read_s, read_cpu_s = median_call_cpu_s(lambda: previous_year(engine, year), runs)
    enrollment_s, enrollment_cpu_s = median_call_cpu_s(lambda: previous_enrollment(engine, year), runs)
    engine.dispose()
    return {
        "previous_year_rows": rows,
        "read_previous_year_s": round(read_s, 3),
        "read_enrollment_only_s": round(enrollment_s, 3),
        "read_previous_year_cpu_s": round(read_cpu_s, 3),
        "read_enrollment_only_cpu_s": round(enrollment_cpu_s, 3),
    }


def main() -> None:
    """Measure on a year folder (``--sample``) of the default region, or of the region file ``--regions``, and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", type=Path, required=True, help="a year folder (e.g. data/sample/2020)")
    parser.add_argument("--previous", type=Path, help="the previous year's folder, standing in for the warehouse's previous year")
    parser.add_argument("--regions", type=Path, help="the region file of the sample (a national sample writes its own)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--whole-runs", type=int, default=0, help="also time this many whole `edustat run`s of the year, and the checks' share of one")
    parser.add_argument("--warehouse", type=Path, help="a SQLite warehouse holding the previous year: time its read, and run the whole runs on copies of it")
    parser.add_argument("--year", type=int, default=2020, help="the year of --sample (default 2020)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    regions = load_regions(args.regions) if args.regions else load_regions()
    result = measure(args.sample, args.previous, regions, args.runs)
    added_s = result["checks_and_outliers_s"]
    if args.warehouse:
        result |= measure_read(args.warehouse, args.year, args.runs)
        added_s += result["read_previous_year_s"] - result["read_enrollment_only_s"]
        result["added_s"] = round(added_s, 3)
        added_cpu_s = result["checks_cpu_s"] + result["outliers_cpu_s"] + result["read_previous_year_cpu_s"] - result["read_enrollment_only_cpu_s"]
        result["added_cpu_s"] = round(added_cpu_s, 3)
    if args.whole_runs:
        result["whole_run_s"] = round(whole_run_s(args.sample, args.regions, args.whole_runs, args.warehouse), 3)
        result["checks_share_pct"] = round(100 * added_s / result["whole_run_s"], 2)
    for name, value in result.items():
        print(f"{name:26s} {value}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
