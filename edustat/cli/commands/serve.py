"""`edustat serve`: the Prefect deployments, the yearly schedule and the manual rerun, served from this process."""

from __future__ import annotations

from edustat.cli.app import app
from edustat.cli.options import (
    ChecksOption,
    IndicatorsOption,
    RegionsOption,
    WarehouseOption,
    apply_overrides,
    checked_configuration,
    connect_prefect,
    console,
    err_console,
)


@app.command()
def serve(
    warehouse: WarehouseOption = None, regions: RegionsOption = None, catalogue_file: IndicatorsOption = None, checks_file: ChecksOption = None
) -> None:
    """Serve the yearly deployment (cron and time zone from the schedule table of config/rules.toml) and the manual rerun until stopped (Ctrl-C)."""
    apply_overrides(warehouse, regions, catalogue_file, checks_file)
    from edustat.settings import load_settings

    # A broken catalogue, checks or region file is refused now, not at each scheduled run.
    checked_configuration(load_settings())
    api_url = connect_prefect()
    from prefect import serve as prefect_serve

    from flows.deployments import build_deployments, full_name
    from runtime.quiet_prefect import keep_failures_off_the_terminal
    from schemas.rules import load_rules

    keep_failures_off_the_terminal()
    err_console.print(f"Prefect API: {api_url} (other shells: export PREFECT_API_URL={api_url})")
    schedule = load_rules().schedule
    deployments = build_deployments(schedule)
    console.print(f"yearly run: cron {schedule.cron!r} in {schedule.timezone}, input {schedule.input_pattern}")
    for deployment in deployments:
        console.print(f"  uv run prefect deployment run '{full_name(deployment)}'")
    prefect_serve(*deployments)
