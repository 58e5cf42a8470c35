"""Where a flow run's time went: its task runs from the Prefect API, summed by task name (one row per task name)."""

from __future__ import annotations

import argparse
from collections import defaultdict

PAGE = 200
"""Task runs per API request (the server's maximum)."""


def task_breakdown(flow_run_id: str | None = None) -> list[tuple[str, int, float, float]]:
    """(task name, runs, summed seconds, wall seconds from first start to last end) for the flow run (the latest when None)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.sorting import FlowRunSort

    with get_client(sync_client=True) as client:
        if flow_run_id is None:
            flow_run_id = str(client.read_flow_runs(sort=FlowRunSort.START_TIME_DESC, limit=1)[0].id)
        runs, offset = [], 0
        while True:
            page = client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])), limit=PAGE, offset=offset
            )
            runs += page
            offset += PAGE
            if len(page) < PAGE:
                break
    spans: dict[str, list] = defaultdict(list)
    for run in runs:
        if run.start_time and run.end_time:
            spans[run.name.rsplit("-", 1)[0]].append((run.start_time, run.end_time))
    rows = []
    for name, times in spans.items():
        total = sum((end - start).total_seconds() for start, end in times)
        wall = (max(end for _, end in times) - min(start for start, _ in times)).total_seconds()
        rows.append((name, len(times), total, wall, min(start for start, _ in times)))
    rows.sort(key=lambda row: row[4])
    return [row[:4] for row in rows]


def main() -> None:
    """Print the breakdown of a flow run (the latest by default)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--flow-run-id")
    args = parser.parse_args()
    for name, count, total, wall in task_breakdown(args.flow_run_id):
        print(f"{name:32s} {count:5d} runs  {total:8.2f} s summed  {wall:8.2f} s wall")


if __name__ == "__main__":
    main()
