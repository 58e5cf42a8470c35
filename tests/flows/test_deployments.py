"""The deployments `edustat serve` serves: schedule, time zone and parameters from config, and one served run end to end.

The served run uses Prefect's own Runner, the machinery behind ``prefect.serve``: the deployment is
registered on the test server, a run is asked for with ``run_deployment``, and ``Runner.start(run_once=True)``
picks it up and executes it in a subprocess, exactly as `edustat serve` would, then returns.
"""

from __future__ import annotations

import asyncio
import importlib
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from rerun_data import query

from config import Schedule
from edustat.outcome import RunOutcome
from flows.deployments import build_deployments, full_name
from flows.scheduled import final_state, input_dir_for, rerun_flow, scheduled_flow, statistical_year
from schemas.rules import load_rules

SCHEDULE = Schedule(cron="30 4 15 2 *", timezone="Europe/Berlin", input_pattern="/srv/returns/{year}")


@pytest.mark.parametrize(
    ("moment", "time_zone", "year"),
    [
        (datetime(2021, 3, 1, 2, 0, tzinfo=timezone.utc), "Asia/Shanghai", 2020),
        # 31 Dec 2020 17:00 UTC is already 1 Jan 2021 01:00 in Shanghai (UTC+8): the year just ended is 2020 ...
        (datetime(2020, 12, 31, 17, 0, tzinfo=timezone.utc), "Asia/Shanghai", 2020),
        # ... while in UTC itself it is still 2020, so the year before is 2019.
        (datetime(2020, 12, 31, 17, 0, tzinfo=timezone.utc), "UTC", 2019),
    ],
)
def test_statistical_year_is_the_calendar_year_before_in_the_schedules_zone(moment: datetime, time_zone: str, year: int) -> None:
    assert statistical_year(moment, time_zone) == year


def test_input_folder_from_the_pattern(tmp_path: Path) -> None:
    assert input_dir_for(2020, "data/raw/{year}", tmp_path) == tmp_path / "data" / "raw" / "2020"
    assert input_dir_for(2020, "/srv/returns/{year}") == Path("/srv/returns/2020")


def test_rejected_or_failed_runs_end_failed_for_prefect() -> None:
    loaded = RunOutcome(run_id=3, year=2020, status="succeeded")
    assert final_state(loaded) is loaded
    rejected = final_state(RunOutcome(run_id=4, year=2020, status="rejected", message="2 errors block the load", error_workbook="errors/errors_2020.xlsx"))
    assert rejected.is_failed()  # type: ignore[union-attr]
    assert rejected.message == "2020: run 4 rejected: 2 errors block the load; error workbook: errors/errors_2020.xlsx"  # type: ignore[union-attr]


def test_yearly_deployment_takes_cron_and_time_zone_from_the_schedule() -> None:
    yearly, rerun = build_deployments(SCHEDULE)
    assert full_name(yearly) == "edustat-scheduled/yearly"
    [schedule] = yearly.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone, schedule.active) == ("30 4 15 2 *", "Europe/Berlin", True)
    assert yearly._parameter_openapi_schema.required == []
    assert full_name(rerun) == "edustat-rerun/rerun"
    assert rerun.schedules == []  # run by hand only
    assert rerun._parameter_openapi_schema.required == ["year", "reason"]
    assert set(rerun._parameter_openapi_schema.properties) == {"year", "reason", "input_dir", "allow_incomplete"}
    assert rerun._parameter_openapi_schema.properties["allow_incomplete"]["default"] is False  # strict unless asked
    # Module entrypoints: the served flows are found whatever folder `edustat serve` started in.
    for deployment, flow in ((yearly, scheduled_flow), (rerun, rerun_flow)):
        module, _, name = deployment.entrypoint.rpartition(".")
        assert getattr(importlib.import_module(module), name) is flow


def test_the_configured_schedule_is_1_march_0200_shanghai() -> None:
    [schedule] = build_deployments(load_rules().schedule)[0].schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("0 2 1 3 *", "Asia/Shanghai")


async def _serve_one_run(deployment_name: str, deployments: list) -> str:
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.runner import Runner

    runner = Runner(name="edustat-test", pause_on_shutdown=False)
    for deployment in deployments:
        await runner.aadd_deployment(deployment)
    flow_run = await run_deployment(deployment_name, timeout=0)
    await runner.start(run_once=True)
    async with get_client() as client:
        state = (await client.read_flow_run(flow_run.id)).state
    assert state is not None
    return state.type.value


def test_served_yearly_deployment_loads_the_previous_year(sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    schedule = load_rules().schedule
    year = statistical_year(datetime.now(timezone.utc), schedule.timezone)
    shutil.copytree(sample_dir / "2020", input_dir_for(year, schedule.input_pattern, tmp_path))
    url = f"sqlite:///{tmp_path / 'warehouse.db'}"
    monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", url)
    monkeypatch.chdir(tmp_path)  # the pattern data/raw/{year} is relative to where `edustat serve` runs

    state = asyncio.run(_serve_one_run("edustat-scheduled/yearly", build_deployments(schedule)))

    assert state == "COMPLETED"
    runs = query(url, "SELECT year, status, trigger FROM etl_run")
    assert runs.rows() == [(year, "succeeded", "scheduled")]


def test_rerun_flow_is_manual_with_its_reason_and_fails_on_rejected_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'warehouse.db'}"
    monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", url)
    monkeypatch.setenv("EDUSTAT_ERROR_WORKBOOK_DIR", str(tmp_path / "errors"))
    folder = tmp_path / "2020"
    folder.mkdir()
    (folder / "人口.csv").write_text("行政区划代码,3-5岁人口,6-11岁人口,12-14岁人口,15-17岁人口\n622901,abc,1,1,1\n", encoding="utf-8")

    state = rerun_flow(year=2020, reason="county resubmitted", input_dir=str(folder), return_state=True)

    assert state.is_failed()
    assert state.message is not None and state.message.startswith("2020: run 1 rejected")
    runs = query(url, "SELECT year, status, trigger, reason FROM etl_run")
    assert runs.rows() == [(2020, "rejected", "manual", "county resubmitted")]


def test_rerun_with_allow_incomplete_loads_a_year_missing_counties(sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Only 临夏市 (622901) sends its workbook: the other seven counties of the prefecture are missing. One county's
    # file is enough to see rerun_flow pass --allow-incomplete on (an eighth of the sample to read and load, twice).
    url = f"sqlite:///{tmp_path / 'warehouse.db'}"
    monkeypatch.setenv("EDUSTAT_WAREHOUSE_URL", url)
    monkeypatch.setenv("EDUSTAT_ERROR_WORKBOOK_DIR", str(tmp_path / "errors"))
    folder = tmp_path / "2020"
    folder.mkdir()
    shutil.copy2(sample_dir / "2020" / "622901_临夏市.xlsx", folder)
    missing = ["622921", "622922", "622923", "622924", "622925", "622926", "622927"]

    strict = rerun_flow(year=2020, reason="临夏市 only", input_dir=str(folder), return_state=True)
    assert strict.is_failed()
    loose = rerun_flow(year=2020, reason="临夏市 only", input_dir=str(folder), allow_incomplete=True, return_state=True)
    assert loose.is_completed()

    assert query(url, "SELECT run_id, status FROM etl_run ORDER BY run_id").rows() == [(1, "rejected"), (2, "succeeded")]
    assert query(url, "SELECT run_id, severity, value FROM validation_issue WHERE rule = 'county_not_reported' ORDER BY run_id, value").rows() == [
        *((1, "error", code) for code in missing),
        *((2, "warning", code) for code in missing),
    ]
    assert query(url, "SELECT counties_reported, counties_expected FROM reporting_status WHERE region_code = '622900' AND table_name = 'schools'").rows() == [(1, 8)]


def test_missing_input_folder_is_named(tmp_path: Path) -> None:
    state = rerun_flow(year=2031, reason="x", input_dir=str(tmp_path / "nowhere"), return_state=True)
    assert state.is_failed()
    assert "nowhere does not exist" in str(state.message)
