"""`edustat server status|stop`: the background Prefect server that `run`, `demo` and `serve` share."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from edustat.cli.app import app
from edustat.cli.options import console


class ServerAction(str, Enum):
    """What to do with the background server."""

    status = "status"
    stop = "stop"


@app.command()
def server(action: Annotated[ServerAction, typer.Argument(help="status: is it running, where; stop: stop it.")]) -> None:
    """The background Prefect server of this Prefect home (started by the first `run`, `demo` or `serve`); exit 1 when none runs."""
    from runtime.local_server import API_URL_ENV, LOG_NAME, is_usable, prefect_home, read_record, record_path, stop_server

    home = prefect_home()
    if action is ServerAction.stop:
        stopped = stop_server(home)
        if stopped is None:
            console.print(f"no background Prefect server runs for {home} / 没有运行中的后台服务")
            raise typer.Exit(1)
        console.print(f"stopped the Prefect server at {stopped.api_url} (pid {stopped.pid}) / 已停止")
        raise typer.Exit(0)
    record = read_record(home)
    if not is_usable(record):
        stale = " (a stale record of a stopped server is left; the next run replaces it)" if record else ""
        console.print(f"no background Prefect server runs for {home}{stale} / 没有运行中的后台服务", markup=False)
        raise typer.Exit(1)
    console.print(f"running: {record.api_url} (pid {record.pid}); UI {record.api_url.removesuffix('/api')}", markup=False)  # type: ignore[union-attr]
    console.print(f"record {record_path(home)}, log {home / LOG_NAME}; stop it with `edustat server stop`", markup=False)
    console.print(f"a {API_URL_ENV} set in the environment is used instead of it", markup=False)
    raise typer.Exit(0)
