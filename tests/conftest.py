"""Fixtures shared by every tier: one Prefect test harness for the session, and the warehouses to test against."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from runtime.quiet_prefect import quiet_prefect

quiet_prefect()


def _hypothesis_profiles() -> None:
    """`ci` (the default) draws fewer examples than `nightly` (the counts each test declares); see tests/examples.py."""
    from hypothesis import settings

    from tests.examples import CI_FLOOR, CI_SHARE, profile

    settings.register_profile("nightly", max_examples=100)
    settings.register_profile("ci", max_examples=max(CI_FLOOR, 100 // CI_SHARE))
    settings.load_profile(profile())


_hypothesis_profiles()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` (pyproject's addopts): one worker per core this process may use, and one more.

    Many tests wait rather than compute (a process starting, a server answering, LibreOffice): on the idle 2-core CI
    machine three workers finished the quick loop sooner than two (183 s against 202 s), the whole suite too.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores + 1


def pytest_report_header() -> str:
    from tests.examples import PROFILE_ENV, profile

    return f"hypothesis examples: {profile()} profile ({PROFILE_ENV}=nightly for the full counts)"

# A run's subprocess that is given no PREFECT_API_URL starts a background Prefect server under the Prefect
# home (runtime.local_server): the suite's home is a temporary folder, never the user's ~/.prefect.
_SUITE_PREFECT_HOME = tempfile.mkdtemp(prefix="edustat-tests-prefect-")
os.environ["PREFECT_HOME"] = _SUITE_PREFECT_HOME

# Tables are read as a pipe gets them (edustat.cli.output.terminal_width): no width inherited from a developer's shell
# or set by pytest-xdist's workers (COLUMNS=80). A test of the width sets COLUMNS itself.
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)


@pytest.fixture(scope="session", autouse=True)
def _no_background_server_left() -> Iterator[None]:
    """Stop any background server a test started under the suite's Prefect home."""
    yield
    from runtime.local_server import stop_server

    stop_server(Path(_SUITE_PREFECT_HOME))

POSTGRES_ENV = "EDUSTAT_TEST_POSTGRES_URL"


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """The folder ``name``, filled by ``build`` once per test session: by whichever pytest-xdist worker asks first, under a
    lock the others wait on, then read by all of them (read it, never write it: copy what a test changes).

    Worker folders are ``<session>/popen-gwN``; the session's own folder above them is shared by its workers and by
    no other session. Without workers it is the session's folder.
    """
    import fcntl
    import shutil

    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder, done = root / name, root / f"{name}.done"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a worker that failed while building left
            folder.mkdir()
            build(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def prefect_api_url() -> Iterator[str]:
    """One temporary Prefect server for the whole session; yields its API URL for subprocesses."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield str(PREFECT_API_URL.value())


def _postgres_param() -> list:
    url = os.environ.get(POSTGRES_ENV)
    reason = f"{POSTGRES_ENV} not set: PostgreSQL runs in .ci/run and wherever the variable points at a server"
    return [pytest.param(url, id="postgres", marks=pytest.mark.skipif(url is None, reason=reason))]


WAREHOUSE_PARAMS = [pytest.param("sqlite", id="sqlite"), *_postgres_param()]


@pytest.fixture(params=WAREHOUSE_PARAMS)
def warehouse_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty warehouse: a SQLite file, or a new schema on the test PostgreSQL."""
    with fresh_warehouse(request.param, tmp_path) as url:
        yield url


@contextmanager
def fresh_warehouse(kind: str, directory: Path) -> Iterator[str]:
    """An empty warehouse for ``kind`` ("sqlite" or a PostgreSQL URL), dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{directory / 'warehouse.db'}"
        return
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:12]}"
    base = sa.make_url(kind).set(drivername="postgresql+psycopg")
    admin = sa.create_engine(base)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        from warehouse.engine import dispose_engines

        dispose_engines()
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def template_warehouse(kind: str, directory: Path) -> Iterator[str]:
    """An empty warehouse meant to be loaded once and copied (``copied_warehouse``), dropped afterwards.

    SQLite: a file. PostgreSQL: a database of its own (its public schema), the template of each copy's
    `CREATE DATABASE … TEMPLATE`; a name of its own, so worktrees and workers never share one.
    """
    if kind == "sqlite":
        yield f"sqlite:///{directory / 'template.db'}"
        return
    with _postgres_database(kind, None) as url:
        yield url


@contextmanager
def copied_warehouse(template_url: str, directory: Path) -> Iterator[str]:
    """A private, writable copy of the (loaded) warehouse at ``template_url``, dropped afterwards.

    SQLite is copied through its backup API (WAL included); PostgreSQL by `CREATE DATABASE … TEMPLATE`, which needs
    the template to have no connections: its engines are disposed first.
    """
    from warehouse.engine import dispose_engines

    dispose_engines()
    if template_url.startswith("sqlite"):
        import sqlite3

        target = directory / "warehouse.db"
        with sqlite3.connect(template_url.removeprefix("sqlite:///")) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        yield f"sqlite:///{target}"
        return
    with _postgres_database(template_url, template_url) as url:
        yield url


@contextmanager
def _postgres_database(server_url: str, template_url: str | None) -> Iterator[str]:
    import sqlalchemy as sa

    base = sa.make_url(server_url).set(drivername="postgresql+psycopg")
    name = f"edustat_{'c' if template_url else 't'}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base.set(database="postgres", query={}), isolation_level="AUTOCOMMIT")
    template = f' TEMPLATE "{sa.make_url(template_url).database}"' if template_url else ""
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"{template}'))
    try:
        yield base.set(database=name, query={}).render_as_string(hide_password=False)
    finally:
        from warehouse.engine import dispose_engines

        dispose_engines()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(autouse=True)
def _error_workbooks_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Error workbooks of rejected runs go to the test's own folder, not the working directory."""
    monkeypatch.setenv("EDUSTAT_ERROR_WORKBOOK_DIR", str(tmp_path / "errors"))
