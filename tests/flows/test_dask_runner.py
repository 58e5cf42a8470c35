"""EDUSTAT_TASK_RUNNER=dask: the yearly flow on a local Dask cluster stores the same values as on the default runner."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from polars.testing import assert_frame_equal

distributed = pytest.importorskip("distributed")

from flows.runners import configured_yearly_flow  # noqa: E402

pytestmark = pytest.mark.system

VALUES_SQL = (
    "SELECT region_code, indicator_code, value, numerator, denominator FROM indicator_value "
    "WHERE year = 2020 AND is_current ORDER BY region_code, indicator_code"
)


def _values(url: str) -> pl.DataFrame:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return pl.read_database(sa.text(VALUES_SQL), connection)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A local cluster of two worker processes, started with the environment a run on it needs: (address, warehouse URL).

    Workers read settings from their own environment, as they would on other machines, so the
    warehouse and the runner are set before they start.
    """
    url = f"sqlite:///{tmp_path_factory.mktemp('dask') / 'warehouse.db'}"
    saved = {name: os.environ.get(name) for name in ("EDUSTAT_WAREHOUSE_URL", "EDUSTAT_TASK_RUNNER")}
    os.environ["EDUSTAT_WAREHOUSE_URL"] = url
    os.environ["EDUSTAT_TASK_RUNNER"] = "dask"
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            yield cluster.scheduler_address, url
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_dask_runner_stores_the_same_values_as_the_thread_runner(
    dask_cluster: tuple[str, str], sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    address, dask_url = dask_cluster
    input_dir = str(sample_dir / "2020")
    monkeypatch.setenv("EDUSTAT_DASK_ADDRESS", address)
    with distributed.Client(address) as client, distributed.get_task_stream(client) as stream:
        outcome = configured_yearly_flow()(year=2020, input_dir=input_dir, reason="dask runner test")
    assert outcome.status == "succeeded", outcome.message
    # The parse fanned out over the cluster's workers: its tasks are in the cluster's task stream.
    assert any("read_workbooks" in str(task["key"]) for task in stream.data)

    thread_url = f"sqlite:///{tmp_path / 'thread.db'}"
    monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", thread_url)
    monkeypatch.setenv("EDUSTAT_TASK_RUNNER", "thread")
    outcome = configured_yearly_flow()(year=2020, input_dir=input_dir, reason="thread runner test")
    assert outcome.status == "succeeded", outcome.message

    on_dask, on_threads = _values(dask_url), _values(thread_url)
    assert on_dask.height > 0
    assert_frame_equal(on_dask, on_threads)
