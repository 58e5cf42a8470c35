"""`uv run python -m benchmarks --schools N --json OUT.json`: edustat at scale, against the reading limit and a naive baseline.

Every phase runs as a whole process (interpreter start and imports included), ``--runs`` times; the
JSON holds the median of each and every single time. See benchmarks/README.md for what each key
measures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks import data as bench_data
from benchmarks.baseline_env import ROOT, baseline_python
from benchmarks.measure import Measurement, run_process
from benchmarks.prefect_server import prefect_api
from benchmarks.report import print_table, targets
from edustat.ingest.batches import file_batches
from runtime.worker_pool import core_count, parse_processes

EDUSTAT = [sys.executable, "-c", "from edustat.cli import main; main()"]
POSTGRES_ENVS = ("EDUSTAT_BENCH_POSTGRES_URL", "EDUSTAT_TEST_POSTGRES_URL")
DEFAULT_BASELINE_SCHOOLS = 50_000
"""The naive baseline reads, cleans and inserts about this many schools (it needs about a minute per 5,000 here)."""


class PhaseFailed(RuntimeError):
    """A measured process did not end as expected."""


def _checked(measurement: Measurement, what: str) -> Measurement:
    if measurement.returncode != 0:
        tail = "\n".join((measurement.stdout + measurement.stderr).splitlines()[-25:])
        raise PhaseFailed(f"{what} exited with {measurement.returncode}:\n{tail}")
    return measurement


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


class Bench:
    """The measured phases of one benchmark, sharing a Prefect API and a scratch folder."""

    def __init__(self, api_url: str, scratch: Path, data: bench_data.BenchData, year: int = bench_data.YEAR) -> None:
        self.api_url = api_url
        self.scratch = scratch
        self.data = data
        self.year = year
        self.counter = 0

    def _folder(self, name: str) -> Path:
        self.counter += 1
        folder = self.scratch / f"{self.counter:02d}-{name}"
        folder.mkdir(parents=True)
        return folder

    def pipeline_env(self, warehouse_url: str, regions_file: Path, folder: Path) -> dict[str, str]:
        """The environment of `edustat run`s sharing a warehouse and a result storage below ``folder``."""
        return os.environ | {
            "PREFECT_API_URL": self.api_url,
            "PREFECT_LOCAL_STORAGE_PATH": str(folder / "storage"),
            "EDUSTAT_WAREHOUSE_URL": warehouse_url,
            "EDUSTAT_REGIONS_FILE": str(regions_file),
            "EDUSTAT_ERROR_WORKBOOK_DIR": str(folder / "errors"),
        }

    def sqlite_env(self, regions_file: Path | None = None) -> tuple[str, dict[str, str]]:
        """A fresh SQLite warehouse and result storage: (warehouse URL, environment of the runs that share them)."""
        folder = self._folder("sqlite")
        url = f"sqlite:///{folder / 'warehouse.db'}"
        return url, self.pipeline_env(url, regions_file or self.data.regions_file, folder)

    def edustat_run(self, input_dir: Path, env: dict[str, str], what: str) -> Measurement:
        """One `edustat run` of the year as its own process."""
        command = [*EDUSTAT, "run", "--year", str(self.year), "--input", str(input_dir), "--reason", what]
        return _checked(run_process(command, env=env), what)

    def parse_only(self) -> Measurement:
        """Every workbook read with the pipeline's reader on every core, nothing else."""
        command = [sys.executable, "-m", "benchmarks.parse_only", str(self.data.input_dir), "--processes", str(core_count())]
        return _checked(run_process(command), "parse only")

    def full_postgres(self, base_url: str) -> Measurement:
        """A full run into a fresh schema of the PostgreSQL database at ``base_url``."""
        import sqlalchemy as sa

        folder = self._folder("postgres")
        schema = f"edustat_bench_{os.getpid()}_{self.counter}"
        base = sa.make_url(base_url).set(drivername="postgresql+psycopg")
        admin = sa.create_engine(base)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
        try:
            env = self.pipeline_env(url, self.data.regions_file, folder)
            return self.edustat_run(self.data.input_dir, env, "benchmark: full run (PostgreSQL)")
        finally:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

    def overhead(self, batches: int) -> Measurement:
        """The flow's orchestration with no data work, as its own process."""
        command = [sys.executable, "-m", "benchmarks.overhead", "--batches", str(batches)]
        env = os.environ | {"PREFECT_API_URL": self.api_url}
        return _checked(run_process(command, env=env), "Prefect overhead")

    def baseline(self, input_dir: Path, regions_file: Path) -> tuple[Measurement, int]:
        """The naive baseline on ``input_dir``, in its own environment (benchmarks/baseline_env.py); its time and the schools it handled."""
        folder = self._folder("baseline")
        python = baseline_python(self.data.root)
        command = [str(python), "-m", "benchmarks.baseline", str(input_dir), str(regions_file), f"sqlite:///{folder / 'baseline.db'}"]
        measurement = _checked(run_process(command, cwd=ROOT), "naive baseline")
        return measurement, json.loads(measurement.stdout.strip().splitlines()[-1])["schools"]


def _count_schools(url: str, year: int) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM schools WHERE year = :year"), {"year": year}).scalar_one()
    engine.dispose()
    return int(count)


def _breakdown(api_url: str) -> list[dict]:
    """Where the latest flow run's time went, task by task (from the Prefect API)."""
    os.environ["PREFECT_API_URL"] = api_url
    from benchmarks.breakdown import task_breakdown

    return [{"task": name, "runs": runs, "wall_s": round(wall, 3)} for name, runs, _, wall in task_breakdown()]


def _sqlite_runs(bench: Bench, args: argparse.Namespace, result: dict, times: dict[str, list[float]]) -> None:
    """Full SQLite runs from nothing, each followed by a rerun after one county's correction; then the values check."""
    data = bench.data
    work_dir = bench_data.working_copy(data, bench.scratch / "work" / str(bench.year))
    for revision in range(1, args.runs + 1):
        # From nothing: an empty warehouse, no cached parse, the inputs as generated.
        url, env = bench.sqlite_env()
        bench_data.restore(work_dir, data.input_dir)
        measured = bench.edustat_run(work_dir, env, "benchmark: full run")
        times.setdefault("full_run_sqlite_s", []).append(measured.wall_s)
        times.setdefault("peak_rss_mb", []).append(measured.peak_rss_mb)
        if revision == 1:
            result["task_breakdown_full_sqlite"] = _breakdown(bench.api_url)
        # Then a county sends a corrected workbook: same warehouse, same cached parses.
        bench_data.correct_one_county(work_dir, data.input_dir, revision)
        times.setdefault("rerun_one_county_s", []).append(bench.edustat_run(work_dir, env, "benchmark: one county corrected").wall_s)
        if revision == 1:
            result["task_breakdown_rerun"] = _breakdown(bench.api_url)
    result["schools"] = _count_schools(url, bench.year)
    if args.check_values:
        from benchmarks.independent import check

        # The last warehouse holds the last correction, and so does the working copy now.
        result["values_check"] = check(work_dir, data.regions_file, url, bench.year)


def _baseline_runs(bench: Bench, args: argparse.Namespace, result: dict, times: dict[str, list[float]]) -> None:
    """The naive baseline and edustat on the same subset of the data."""
    share = min(1.0, args.baseline_schools / max(result["schools"], 1))
    subset_dir, subset_regions = bench_data.subset(bench.data, share, bench.scratch / "subset")
    measured = [bench.baseline(subset_dir, subset_regions) for _ in range(args.baseline_runs)]
    times["baseline_s"] = [m.wall_s for m, _ in measured]
    result["baseline_schools"] = measured[0][1]
    for _ in range(args.runs):
        _, env = bench.sqlite_env(subset_regions)
        times.setdefault("pipeline_at_baseline_size_s", []).append(bench.edustat_run(subset_dir, env, "benchmark: baseline size").wall_s)


def run_benchmark(args: argparse.Namespace) -> dict:
    """Every phase measured; the result as the JSON document."""
    data = bench_data.ensure_data(args.schools, args.seed, args.data)
    postgres_url = None if args.skip_postgres else args.postgres_url or next((os.environ[e] for e in POSTGRES_ENVS if e in os.environ), None)
    scratch = Path(tempfile.mkdtemp(prefix="edustat-bench-"))
    result: dict = {"cores": core_count(), "runs": args.runs, "files": data.files, "counties": data.counties}
    times: dict[str, list[float]] = {}
    try:
        with prefect_api() as api_url:
            bench = Bench(api_url, scratch, data)
            times["parse_only_s"] = [bench.parse_only().wall_s for _ in range(args.runs)]
            _sqlite_runs(bench, args, result, times)
            if postgres_url:
                times["full_run_postgres_s"] = [bench.full_postgres(postgres_url).wall_s for _ in range(args.runs)]
                result["task_breakdown_full_postgres"] = _breakdown(api_url)
            workers = parse_processes(None, data.files, "thread") or core_count()
            batches = len(file_batches([Path(str(i)) for i in range(data.files)], workers))
            times["prefect_overhead_s"] = [bench.overhead(batches).wall_s for _ in range(args.runs)]
            _baseline_runs(bench, args, result, times)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    for key, values in times.items():
        result[key] = _median(values)
        result[f"{key}_all"] = [round(v, 3) for v in values]
    result.setdefault("full_run_postgres_s", None)
    pipeline = result.get("pipeline_at_baseline_size_s")
    result["speedup_vs_baseline"] = round(result["baseline_s"] / pipeline, 2) if pipeline else None
    result["targets"] = targets(result)
    return result


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=530_000, help="schools in the sample (530000: the national scale)")
    parser.add_argument("--json", type=Path, required=True, help="where to write the results")
    parser.add_argument("--runs", type=int, default=3, help="runs of each phase; the median is reported")
    parser.add_argument("--data", type=Path, default=None, help="where the sample is (generated there once, then reused)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--baseline-schools", type=int, default=DEFAULT_BASELINE_SCHOOLS)
    parser.add_argument("--baseline-runs", type=int, default=1)
    parser.add_argument("--postgres-url", default=None, help="a PostgreSQL database to create scratch schemas in")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--no-check-values", dest="check_values", action="store_false")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (warehouses, storage)")
    args = parser.parse_args()
    result = run_benchmark(args)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print_table(result)


if __name__ == "__main__":
    main()
