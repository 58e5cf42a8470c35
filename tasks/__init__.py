"""The yearly flow's Prefect tasks.

``uncached_task`` declares a task whose result is never cached: every task here but the parse of a
batch of files (tasks.ingest.read_workbooks, cached by the files' content).
"""

from functools import partial

from prefect import task
from prefect.cache_policies import NO_CACHE

uncached_task = partial(task, cache_policy=NO_CACHE)
"""``@uncached_task(name=...)``: Prefect's ``@task`` with ``cache_policy=NO_CACHE``."""
