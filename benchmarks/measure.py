"""One phase as a whole process: wall-clock time and the peak resident memory of its process tree."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SAMPLE_EVERY_S = 0.1
"""How often the process tree's memory is sampled."""

_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


@dataclass(frozen=True)
class Measurement:
    """One process run: how long it took, the most memory its process tree held at once, and what it said."""

    wall_s: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in task.read_text().split()]
        except OSError:
            continue
    return found


def _rss_kb(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants now, in MB (0 where /proc is not available)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += _rss_kb(current)
        stack += _children(current)
    return total / 1024


def run_process(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None, timeout_s: float | None = None) -> Measurement:
    """Run ``command`` to its end; its wall time and the peak of its process tree's summed resident memory."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_mb(process.pid))
            done.wait(SAMPLE_EVERY_S)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        stdout, stderr = process.communicate(timeout=timeout_s)
    finally:
        done.set()
        sampler.join()
    return Measurement(time.perf_counter() - started, peak, process.returncode, stdout, stderr)


def median_call_s(work, runs: int) -> float:  # noqa: ANN001 - a callable of no argument
    """Median wall seconds of ``runs`` calls of ``work`` in this process."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_call_cpu_s(work, runs: int) -> tuple[float, float]:  # noqa: ANN001 - a callable of no argument
    """Median wall seconds and median CPU seconds (this process, every thread) of ``runs`` calls of ``work``: on a shared
    machine the CPU seconds move less with the load than the wall seconds."""
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


EDUSTAT = [sys.executable, "-m", "edustat.cli"]
"""The edustat command line, as a benchmark starts it."""


@dataclass(frozen=True)
class Scratch:
    """A benchmark's scratch folder: the sample's 2020 folder in it, a Prefect home of its own, the environment for edustat commands."""

    folder: Path
    home: Path
    env: dict[str, str]

    @property
    def year_2020(self) -> Path:
        """The sample's 2020 input folder."""
        return self.folder / "sample" / "2020"


@contextmanager
def sample_scratch(prefix: str) -> Iterator[Scratch]:
    """A temporary folder with the sample's 2020 written by `edustat sample`, and no PREFECT_API_URL (commands use the background server)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as scratch_dir:
        folder = Path(scratch_dir)
        home = folder / "prefect-home"
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {"PREFECT_HOME": str(home)}
        if run_process([*EDUSTAT, "sample", "--out", str(folder / "sample"), "--years", "2020"], env=env).returncode != 0:
            raise SystemExit("edustat sample failed")
        yield Scratch(folder=folder, home=home, env=env)
