"""Which task runner a yearly run uses: threads on this machine (default) or a Dask cluster (EDUSTAT_TASK_RUNNER=dask)."""

from __future__ import annotations

from prefect import Flow
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from edustat.settings import Settings, load_settings
from flows.yearly import yearly_flow


def task_runner(settings: Settings) -> TaskRunner:
    """The task runner of ``settings``: ThreadPoolTaskRunner, or prefect-dask's DaskTaskRunner.

    With "dask", EDUSTAT_DASK_ADDRESS names a running scheduler (tcp://host:8786); without it a
    temporary local Dask cluster is started for the run and stopped after it.
    """
    if settings.task_runner == "dask":
        from prefect_dask import DaskTaskRunner

        if settings.dask_address:
            return DaskTaskRunner(address=settings.dask_address)
        return DaskTaskRunner()
    return ThreadPoolTaskRunner()


def configured_yearly_flow(settings: Settings | None = None) -> Flow:
    """The yearly flow on the task runner the settings (the environment, when None) ask for."""
    return yearly_flow.with_options(task_runner=task_runner(settings or load_settings()))
