"""`edustat serve`: the Prefect deployments, the yearly schedule and the manual rerun, served from this process."""

from __future__ import annotations

from edustat.cli.app import app
from edustat.cli.common import RegionsOption, WarehouseOption, apply_overrides, console, err_console

NO_SERVER_HINT = (
    "PREFECT_API_URL is not set: the schedule lives only as long as this process and no other shell can trigger a rerun. "
    "Start a server with `uv run prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api first."
)


@app.command()
def serve(warehouse: WarehouseOption = None, regions: RegionsOption = None) -> None:
    """Serve the yearly deployment (cron and time zone from the schedule table of config/rules.toml) and the manual rerun until stopped (Ctrl-C)."""
    from prefect import serve as prefect_serve
    from prefect.settings import PREFECT_API_URL

    from config import load_rules
    from flows.deployments import build_deployments, full_name

    apply_overrides(warehouse, regions)
    if not PREFECT_API_URL.value():
        err_console.print(f"[yellow]{NO_SERVER_HINT}[/yellow]")
    schedule = load_rules().schedule
    deployments = build_deployments(schedule)
    console.print(f"yearly run: cron {schedule.cron!r} in {schedule.timezone}, input {schedule.input_pattern}")
    for deployment in deployments:
        console.print(f"  uv run prefect deployment run '{full_name(deployment)}'")
    prefect_serve(*deployments)
