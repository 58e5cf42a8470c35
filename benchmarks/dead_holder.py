"""`uv run python -m benchmarks.dead_holder`: how long the next run of a year takes after the run holding it was killed.

Each of ``--runs`` (3) rounds, with the background Prefect server started once before them:
- ``clean``: `edustat run` of the sample's 2020 folder into a fresh SQLite file, no other run about;
- ``after_kill``: into another fresh file, an `edustat run` is stopped inside its load (the year's
  slot, the warehouse lock and its etl_run row 'running' held: EDUSTAT_TEST_PAUSE_AT=before_commit),
  SIGKILLed, and the same `edustat run` is timed at once.
``after_kill − clean`` is what the dead holder costs; before the slot was taken over it was the lock
timeout (60 s) plus the rest of the dead run's lease (up to 90 s).
"""

from __future__ import annotations

import argparse
import signal
import statistics
import subprocess
import time
from pathlib import Path

from benchmarks.measure import EDUSTAT, run_process, sample_scratch
from runtime.local_server import ensure_server, stop_server
from runtime.pause_points import PAUSE_AT_ENV, PAUSE_DIR_ENV

PAUSE_POINT = "before_commit"
PAUSE_WAIT_S = 300.0


def _run(input_dir: Path, env: dict[str, str]) -> float:
    measured = run_process([*EDUSTAT, "run", "--year", "2020", "--input", str(input_dir)], env=env)
    if measured.returncode != 0:
        raise SystemExit(f"edustat run failed ({measured.returncode}): {measured.stdout[-2000:]}{measured.stderr[-2000:]}")
    return measured.wall_s


def _kill_inside_the_load(input_dir: Path, env: dict[str, str], pause_dir: Path) -> None:
    """Start a run, wait until it is paused inside its load, SIGKILL it and reap it."""
    pause_dir.mkdir(parents=True)
    paused = env | {PAUSE_AT_ENV: PAUSE_POINT, PAUSE_DIR_ENV: str(pause_dir)}
    process = subprocess.Popen([*EDUSTAT, "run", "--year", "2020", "--input", str(input_dir)], env=paused, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + PAUSE_WAIT_S
    while not (pause_dir / f"{PAUSE_POINT}.reached").exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemExit("the run to be killed never reached its load")
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(30)


def main(argv: list[str] | None = None) -> None:
    """Measure and print the clean and after-kill run times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with sample_scratch("edustat-dead-holder-") as made:
        scratch, home, env, input_dir = made.folder, made.home, made.env, made.year_2020
        ensure_server(home)
        clean, after_kill = [], []
        try:
            for attempt in range(args.runs):
                clean.append(_run(input_dir, env | {"EDUSTAT_WAREHOUSE_URL": f"sqlite:///{scratch / f'clean{attempt}.db'}"}))
                killed_env = env | {"EDUSTAT_WAREHOUSE_URL": f"sqlite:///{scratch / f'killed{attempt}.db'}"}
                _kill_inside_the_load(input_dir, killed_env, scratch / f"pause{attempt}")
                after_kill.append(_run(input_dir, killed_env))
        finally:
            stop_server(home)
    print(f"{'what':<12}{'median s':>10}   runs")
    for name, times in (("clean", clean), ("after_kill", after_kill)):
        print(f"{name:<12}{statistics.median(times):>10.2f}   {', '.join(f'{t:.2f}' for t in times)}")
    print(f"{'dead holder':<12}{statistics.median(after_kill) - statistics.median(clean):>10.2f}   (after_kill − clean)")


if __name__ == "__main__":
    main()
