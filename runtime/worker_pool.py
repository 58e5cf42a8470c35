"""Worker processes for the CPU-bound parse on one machine: spawned once, reused for the life of the process.

Threads cannot parse workbooks in parallel (much of the work holds the GIL), so on one machine the
parse runs in a pool of processes, one per core. Processes are spawned, not forked: a forked child
can deadlock on locks that the parent's Polars thread pool held at the fork.
"""

from __future__ import annotations

import atexit
import importlib
import multiprocessing
import os
import signal
import threading
from concurrent.futures import Future, ProcessPoolExecutor

MIN_FILES_FOR_PROCESSES = 48
"""Below this many files a run parses in its own process: starting workers (~2 s) would cost more than it saves."""

_pools: dict[int, ProcessPoolExecutor] = {}
_lock = threading.Lock()
_stopped = threading.Event()


class WorkersStopped(RuntimeError):
    """The process is stopping (Ctrl-C, SIGTERM): no more parse worker processes are started."""


def core_count() -> int:
    """Cores this process may use (its CPU affinity where the platform tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def parse_processes(configured: int | None, files: int, task_runner: str) -> int:
    """How many worker processes parse ``files`` files: 0 means parse inline in the task's own thread.

    ``configured`` (EDUSTAT_PARSE_PROCESSES) wins when set; otherwise one per core, but only with the
    thread task runner (Dask workers are processes already), more than one core, and enough files.
    """
    if configured is not None:
        return max(0, configured)
    if task_runner != "thread" or files < MIN_FILES_FOR_PROCESSES:
        return 0
    cores = core_count()
    return cores if cores > 1 else 0


def process_pool(workers: int) -> ProcessPoolExecutor:
    """The process's pool of ``workers`` spawned worker processes (created on first use)."""
    with _lock:
        if _stopped.is_set():
            raise WorkersStopped("the parse was stopped / 解析已停止")
        pool = _pools.get(workers)
        if pool is None:
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=ignore_ctrl_c)
            _pools[workers] = pool
        return pool


def discard_pool(workers: int, pool: ProcessPoolExecutor) -> None:
    """Forget ``pool`` (broken: one of its workers died) so that the next ``process_pool`` call spawns a fresh one.

    Only that pool is forgotten: another thread may already have replaced it.
    """
    with _lock:
        if _pools.get(workers) is pool:
            del _pools[workers]
    pool.shutdown(wait=False, cancel_futures=True)


def ignore_ctrl_c() -> None:
    """A worker's first act: ignore SIGINT, which Ctrl-C sends to the whole process group; the parent stops its workers itself.

    (A worker that took Ctrl-C would print its own KeyboardInterrupt traceback.)
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def stop_workers() -> None:
    """Stop every worker process now (SIGTERM), work in progress dropped, and start no new one: the process is being stopped."""
    _stopped.set()
    with _lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        # The executor keeps its processes to itself; terminating them is the only way not to wait for their batches.
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            try:
                process.terminate()
            except (OSError, ValueError, AttributeError):
                pass  # already gone


def allow_workers() -> None:
    """Start worker processes again on demand (after ``stop_workers``, for a process that goes on to other work)."""
    _stopped.clear()


def _ready(modules: tuple[str, ...]) -> int:
    for module in modules:
        importlib.import_module(module)
    return os.getpid()


def warm_up(workers: int, modules: tuple[str, ...] = ()) -> list[Future]:
    """Start the pool's workers now and import ``modules`` in them, so that they get ready while other steps run.

    Returns one future per worker (each gives the worker's pid).
    """
    pool = process_pool(workers)
    return [pool.submit(_ready, modules) for _ in range(workers)]


@atexit.register
def shutdown_pools() -> None:
    """Stop every worker process (waiting for work in progress)."""
    with _lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.shutdown(wait=True, cancel_futures=True)
