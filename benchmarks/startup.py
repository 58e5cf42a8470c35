"""`uv run python -m benchmarks.startup`: what a command costs beyond its work, against importing polars and sqlalchemy.

Medians of ``--runs`` (5) whole processes each, in this project's environment:
- ``baseline``: `python -c "import polars, sqlalchemy"`, the floor of any edustat command;
- ``help``: `edustat --help` (target ≤ 1.5 × baseline);
- ``query``: `edustat query "select 1"` on a loaded SQLite warehouse (target ≤ 1.5 ×);
- ``run``: a prefecture-size `edustat run` of the sample's 2020 folder into a fresh SQLite file, with no
  PREFECT_API_URL set (target ≤ 6 ×). The background Prefect server is started once, before the first
  measured run (its one-off start is printed as ``server_start``), and reused by every run, as a user's
  second and later commands reuse it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from benchmarks.measure import EDUSTAT, run_process, sample_scratch
from runtime.local_server import ensure_server, stop_server

TARGETS = {"help": 1.5, "query": 1.5, "run": 6.0}


def _median_s(command: list[str], env: dict[str, str], runs: int, prepare=None, cwd: Path | None = None) -> tuple[float, list[float]]:
    times = []
    for attempt in range(runs):
        if prepare is not None:
            prepare(attempt)
        measured = run_process(command, env=env, cwd=cwd)
        if measured.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed ({measured.returncode}): {measured.stderr[-2000:]}")
        times.append(measured.wall_s)
    return statistics.median(times), times


def main(argv: list[str] | None = None) -> None:
    """Measure and print the start-up costs; with --json, write them to a file too."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with sample_scratch("edustat-startup-") as made:
        scratch, home, env = made.folder, made.home, made.env
        results: dict[str, object] = {}
        results["baseline"], _ = _median_s([sys.executable, "-c", "import polars, sqlalchemy"], env, args.runs)
        results["help"], _ = _median_s([*EDUSTAT, "--help"], env, args.runs)
        started = time.perf_counter()
        ensure_server(home)
        results["server_start"] = time.perf_counter() - started
        try:
            def fresh_warehouse(attempt: int) -> None:
                env["EDUSTAT_WAREHOUSE_URL"] = f"sqlite:///{scratch / f'run{attempt}.db'}"

            results["run"], _ = _median_s([*EDUSTAT, "run", "--year", "2020", "--input", str(made.year_2020)], env, args.runs, fresh_warehouse)
            results["query"], _ = _median_s([*EDUSTAT, "query", "select 1"], env, args.runs)
        finally:
            stop_server(home)
    baseline = float(results["baseline"])  # type: ignore[arg-type]
    print(f"{'what':<14}{'median s':>10}{'× baseline':>12}{'target':>9}")
    for key in ("baseline", "help", "query", "run", "server_start"):
        value = float(results[key])  # type: ignore[arg-type]
        ratio = value / baseline
        target = TARGETS.get(key)
        verdict = "" if target is None else ("met" if ratio <= target else "NOT met")
        print(f"{key:<14}{value:>10.2f}{ratio:>12.2f}{('≤ ' + str(target)) if target else '':>9} {verdict}")
        results[f"{key}_ratio"] = ratio
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
