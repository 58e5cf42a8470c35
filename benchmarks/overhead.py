"""Prefect's share of a run: a flow shaped like the yearly flow (same task runner, same number of task runs), doing nothing.

`python -m benchmarks.overhead --batches K` runs, in its own process, the yearly flow's sixteen
single tasks and K mapped parse tasks as no-ops, against the Prefect API the environment names.
"""

from __future__ import annotations

import argparse

from runtime.quiet_prefect import quiet_prefect

quiet_prefect()

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from edustat.settings import load_settings  # noqa: E402
from flows.runners import task_runner  # noqa: E402

SINGLE_TASKS = 16
"""Tasks the yearly flow runs once per year (settings, configuration, warehouse, fingerprint, … load)."""


@task(name="no_data_work", cache_policy=NO_CACHE)
def no_data_work(index: int) -> int:
    """Nothing: returns its argument."""
    return index


@flow(name="edustat-overhead", log_prints=False)
def overhead_flow(batches: int) -> int:
    """SINGLE_TASKS tasks one after another, then ``batches`` mapped ones: the yearly flow's orchestration without its work."""
    total = 0
    for index in range(SINGLE_TASKS):
        total += no_data_work(index)
    return total + sum(future.result() for future in no_data_work.map(range(batches)))


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, required=True)
    args = parser.parse_args()
    overhead_flow.with_options(task_runner=task_runner(load_settings()))(batches=args.batches)


if __name__ == "__main__":
    main()
