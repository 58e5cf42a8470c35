"""The command line as a statistics office uses it (contract §1 "Partial regions", §6 "Files for Excel, `demo`, `runs`"):
the province that lists one prefecture marked partial wherever it is shown, CSV and XLSX files as Chinese Excel reads
them, the list of runs, the Prefect state of a rejected run, tables that fit the terminal.

One warehouse per backend (SQLite, and PostgreSQL where EDUSTAT_TEST_POSTGRES_URL is set) with the sample's 2020
loaded through `edustat run`; the tests only read it, except the runs test, which adds a rejected and an unchanged run.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from rich.cells import cell_len

from tests.cli_runner import run_edustat
from tests.conftest import WAREHOUSE_PARAMS, fresh_warehouse

YEAR = "2020"
PROVINCE, PREFECTURE, COUNTY = "620000", "622900", "622901"
PARTIAL_ZH, PARTIAL_EN = "甘肃省（仅临夏州）", "Gansu (Linxia only)"
"""The default region file's 甘肃省 lists 临夏州 alone: its values are shown under these names (config/regions.toml)."""


@dataclass(frozen=True)
class Loaded:
    url: str
    env: dict[str, str]
    root: Path
    sample: Path


@pytest.fixture(scope="module", params=WAREHOUSE_PARAMS)
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, prefect_api_url: str) -> Iterator[Loaded]:
    """The sample's 2020 (seed 2021) loaded by `edustat run` into a fresh warehouse of the parameter's kind."""
    from edustat.sample import write_sample

    root = tmp_path_factory.mktemp("office")
    write_sample(root / "sample", [int(YEAR)], seed=2021)
    with fresh_warehouse(request.param, root) as url:
        env = {"PREFECT_API_URL": prefect_api_url, "EDUSTAT_WAREHOUSE_URL": url, "EDUSTAT_ERROR_WORKBOOK_DIR": str(root / "errors"), "COLUMNS": "250"}
        first = run_edustat("run", "--year", YEAR, "--input", str(root / "sample" / YEAR), cwd=root, env=env)
        assert first.returncode == 0, first.stdout + first.stderr
        yield Loaded(url, env, root, root / "sample" / YEAR)


def edustat(loaded: Loaded, *args: str, **extra_env: str):  # type: ignore[no-untyped-def]
    return run_edustat(*args, cwd=loaded.root, env=loaded.env | extra_env)


def rows_of(url: str, sql: str) -> list[dict]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.text(sql))]
    finally:
        engine.dispose()


# --- partial regions -------------------------------------------------------------------------------------------


def test_the_province_is_marked_partial_in_the_indicators_table(loaded: Loaded) -> None:
    shown = edustat(loaded, "indicators", "--year", YEAR, "--level", "province", "--level", "prefecture")
    assert shown.returncode == 0, shown.stderr
    lines = [line for line in shown.stdout.splitlines() if "preschool_ger" in line]
    assert len(lines) == 2
    province = next(line for line in lines if "仅临夏州" in line)
    assert province.split()[0] == PARTIAL_ZH and "partial" in province
    prefecture = next(line for line in lines if "仅临夏州" not in line)
    assert prefecture.split()[0] == "临夏回族自治州" and "partial" not in prefecture
    # Nowhere is the province named as itself.
    assert re.findall(r"甘肃省(?!（仅临夏州）)", shown.stdout) == []
    assert "部分覆盖" in shown.stderr and PARTIAL_ZH in shown.stderr
    english = edustat(loaded, "indicators", "--year", YEAR, "--level", "province", "--lang", "en")
    assert all(line.startswith(PARTIAL_EN) for line in english.stdout.splitlines() if "preschool_ger" in line)


def test_the_province_is_marked_partial_in_csv_and_json(loaded: Loaded) -> None:
    exported = edustat(loaded, "indicators", "--year", YEAR, "--level", "province", "--level", "prefecture", "--format", "csv")
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert {(r["region_code"], r["region_name_zh"], r["region_name_en"], r["is_partial"]) for r in rows} == {
        (PROVINCE, PARTIAL_ZH, PARTIAL_EN, "true"),
        (PREFECTURE, "临夏回族自治州", "Linxia Hui Autonomous Prefecture", "false"),
    }
    listed = json.loads(edustat(loaded, "indicators", "--year", YEAR, "--format", "json").stdout)
    partial = {r["region_code"] for r in listed if r["is_partial"]}
    assert partial == {PROVINCE}
    assert {r["region_name_zh"] for r in listed if r["region_code"] == PROVINCE} == {PARTIAL_ZH}
    # Its values are still computed (Σ over what is listed): one prefecture, so the prefecture's own.
    by_key = {(r["region_code"], r["indicator_code"]): r for r in listed}
    for code in ("preschool_ger", "senior_ger"):
        assert by_key[(PROVINCE, code)]["numerator"] == by_key[(PREFECTURE, code)]["numerator"]
        assert by_key[(PROVINCE, code)]["denominator"] == by_key[(PREFECTURE, code)]["denominator"]


def test_the_views_name_the_province_as_partial(loaded: Loaded) -> None:
    current = rows_of(
        loaded.url,
        "SELECT DISTINCT region_code, region_name_zh, region_name_en, is_partial FROM indicator_current "
        f"WHERE region_code IN ('{PROVINCE}', '{PREFECTURE}') ORDER BY region_code",
    )
    assert [(r["region_code"], r["region_name_zh"], r["region_name_en"], bool(r["is_partial"])) for r in current] == [
        (PROVINCE, PARTIAL_ZH, PARTIAL_EN, True),
        (PREFECTURE, "临夏回族自治州", "Linxia Hui Autonomous Prefecture", False),
    ]
    wide = rows_of(loaded.url, f"SELECT region_name_zh, is_partial FROM indicator_wide WHERE region_code = '{PROVINCE}'")
    assert [(r["region_name_zh"], bool(r["is_partial"])) for r in wide] == [(PARTIAL_ZH, True)]
    # Through `edustat query` too (the test's PostgreSQL login is a superuser: allowed explicitly), and listed by `query --tables`.
    queried = edustat(loaded, "query", f"SELECT region_name_zh, is_partial FROM indicator_current WHERE region_code = '{PROVINCE}' LIMIT 1", "--format", "json", "--allow-superuser")
    assert queried.returncode == 0, queried.stderr
    assert [(r["region_name_zh"], bool(r["is_partial"])) for r in json.loads(queried.stdout)] == [(PARTIAL_ZH, True)]
    tables = json.loads(edustat(loaded, "query", "--tables", "--format", "json").stdout)
    columns = {(r["relation"], r["column_name"]) for r in tables}
    assert {("indicator_current", "is_partial"), ("indicator_current", "region_name_zh"), ("etl_run", "flow_run_id"), ("schools", "school_name")} <= columns
    assert {r["relation_kind"] for r in tables if r["relation"] in ("indicator_current", "indicator_wide", "run_history")} == {"view"}
    assert {r["relation_kind"] for r in tables if r["relation"] == "etl_run"} == {"table"}


def test_the_report_never_quotes_the_partial_province_as_the_province(loaded: Loaded) -> None:
    for lang, suffix in (("zh", "html"), ("en", "md")):
        out = loaded.root / f"province_{lang}.{suffix}"
        written = edustat(loaded, "report", "--year", YEAR, "--region", PROVINCE, "--lang", lang, "--out", str(out))
        assert written.returncode == 0, written.stderr
        text = out.read_text(encoding="utf-8")
        if lang == "zh":
            assert PARTIAL_ZH in text
            assert re.findall(r"甘肃省(?!（仅临夏州）)", text) == []
            # The sentences name the subject by its partial name ({area}), never 全省 (the whole province).
            assert f"{PARTIAL_ZH}共有普惠性民办幼儿园" in text and f"{PARTIAL_ZH}一般公共预算教育经费" in text
            assert "全省共有" not in text and "全省一般公共预算" not in text
        else:
            assert PARTIAL_EN in text
            assert "Gansu Province" not in text
            assert f"{PARTIAL_EN} had" in text and "the province had" not in text
    # The prefecture's report (the default subject) does not name the province at all, except as a target's scope.
    default = loaded.root / "prefecture.html"
    assert edustat(loaded, "report", "--year", YEAR, "--out", str(default)).returncode == 0
    assert re.findall(r"甘肃省(?!（仅临夏州）)", default.read_text(encoding="utf-8")) == []


def test_a_region_file_marking_a_county_partial_is_refused(tmp_path: Path) -> None:
    from config import DEFAULT_REGIONS_FILE

    text = DEFAULT_REGIONS_FILE.read_text(encoding="utf-8")
    broken = tmp_path / "regions.toml"
    broken.write_text(text.replace('code = "622921"\n', 'code = "622921"\npartial = true\n', 1), encoding="utf-8")
    (tmp_path / "in").mkdir()
    refused = run_edustat("validate", "--year", YEAR, "--input", "in", "--regions", str(broken), cwd=tmp_path)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    message = " ".join(refused.stderr.split())
    assert str(broken) in message or broken.name in message
    assert "622921" in message and "partial" in message
    assert "county" in message and "县级区划" in message
    assert "Traceback" not in refused.stderr


# --- files for Excel -----------------------------------------------------------------------------------------------


def test_a_csv_file_has_a_byte_order_mark_and_chinese_headers_with_lang_zh(loaded: Loaded) -> None:
    target = loaded.root / "indicators.csv"
    written = edustat(loaded, "indicators", "--year", YEAR, "--level", "province", "--format", "csv", "--lang", "zh", "--out", str(target))
    assert written.returncode == 0, written.stderr
    raw = target.read_bytes()
    # Excel on Chinese Windows reads a CSV as GBK unless it starts with the UTF-8 byte-order mark.
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {"区划代码", "地区名称", "指标代码", "指标名称", "数值", "分子", "分母", "仅含所列下级"} <= set(rows[0])
    ger = next(r for r in rows if r["指标代码"] == "preschool_ger")
    assert (ger["区划代码"], ger["地区名称"], ger["仅含所列下级"]) == (PROVINCE, PARTIAL_ZH, "true")
    # Numbers stay numbers: no quote, no unit, the stored precision.
    assert float(ger["数值"]) == pytest.approx(100 * float(ger["分子"]) / float(ger["分母"]), abs=1e-6)
    plain = loaded.root / "plain.csv"
    assert edustat(loaded, "indicators", "--year", YEAR, "--format", "csv", "--encoding", "utf-8", "--out", str(plain)).returncode == 0
    assert plain.read_bytes().startswith(b"year,region_code,")  # no mark, English column names without --lang zh


def test_an_xlsx_sheet_is_named_after_its_content_with_numbers_as_numbers(loaded: Loaded) -> None:
    target = loaded.root / "indicators.xlsx"
    written = edustat(loaded, "indicators", "--year", YEAR, "--level", "province", "--format", "xlsx", "--lang", "zh", "--out", str(target))
    assert written.returncode == 0, written.stderr
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [f"指标 {YEAR}"]
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["年度", "区划代码", "区划层级", "地区名称"]
    first = dict(zip(header, (c.value for c in sheet[2])))
    assert first["区划代码"] == PROVINCE and first["地区名称"] == PARTIAL_ZH
    assert isinstance(first["数值"], float) and isinstance(first["年度"], int)
    assert sheet.cell(2, 1).number_format == "0"  # the year reads 2020, not 2,020
    # The name column is wide enough for its Chinese text (Excel's width unit: about one Latin character).
    name_column = openpyxl.utils.get_column_letter(header.index("地区名称") + 1)
    assert sheet.column_dimensions[name_column].width >= cell_len(PARTIAL_ZH)


def test_query_trace_history_and_runs_write_excel_files_too(loaded: Loaded) -> None:
    query_csv = loaded.root / "query.csv"
    ran = edustat(loaded, "query", f"SELECT region_code, region_name_zh, value FROM indicator_current WHERE indicator_code = 'preschool_ger' AND year = {YEAR}",
                  "--format", "csv", "--lang", "zh", "--out", str(query_csv), "--allow-superuser")  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert query_csv.read_bytes().startswith(codecs.BOM_UTF8 + "区划代码,地区名称,数值".encode())

    trace_csv = loaded.root / "trace.csv"
    traced = edustat(loaded, "trace", "--year", YEAR, "--indicator", "preschool_ger", "--region", COUNTY, "--format", "csv", "--lang", "zh", "--out", str(trace_csv))
    assert traced.returncode == 0, traced.stderr
    header = trace_csv.read_bytes().decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["县级区划代码", "县名称", "学校标识码"] and "学校名称" in header

    history_xlsx = loaded.root / "history.xlsx"
    history = edustat(loaded, "history", "--year", YEAR, "--indicator", "preschool_ger", "--format", "xlsx", "--lang", "zh", "--out", str(history_xlsx))
    assert history.returncode == 0, history.stderr
    book = openpyxl.load_workbook(history_xlsx)
    assert book.sheetnames == [f"历史 {YEAR}"]
    header = [c.value for c in book.active[1]]
    assert header[:5] == ["年度", "区划代码", "地区名称", "地区英文名称", "指标代码"]
    assert isinstance(dict(zip(header, (c.value for c in book.active[2])))["数值"], float)
    # The terminal shows the names beside the codes.
    table = edustat(loaded, "history", "--year", YEAR, "--indicator", "preschool_ger", "--region", PROVINCE)
    assert PARTIAL_ZH in table.stdout and "学前三年毛入园率" in table.stdout

    runs_csv = loaded.root / "runs.csv"
    listed = edustat(loaded, "runs", "--format", "csv", "--lang", "zh", "--out", str(runs_csv))
    assert listed.returncode == 0, listed.stderr
    assert runs_csv.read_bytes().startswith(codecs.BOM_UTF8 + "运行编号,年度,状态".encode())


# --- runs and Prefect states -------------------------------------------------------------------------------------------


def test_runs_after_a_load_a_rejection_and_an_unchanged_run(loaded: Loaded, prefect_api_url: str) -> None:
    bad = loaded.root / "bad" / YEAR
    bad.mkdir(parents=True)
    (bad / "人口.csv").write_text("行政区划代码,3-5岁人口,6-11岁人口,12-14岁人口,15-17岁人口\n622901,abc,1,1,1\n", encoding="utf-8")
    rejected = edustat(loaded, "run", "--year", YEAR, "--input", str(bad), "--reason", "broken copy")
    assert rejected.returncode == 1, rejected.stdout + rejected.stderr
    unchanged = edustat(loaded, "run", "--year", YEAR, "--input", str(loaded.sample), "--reason", "same files")
    assert unchanged.returncode == 0, unchanged.stdout + unchanged.stderr

    listed = edustat(loaded, "runs", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    runs = json.loads(listed.stdout)
    stored = {r["run_id"]: r for r in rows_of(loaded.url, "SELECT run_id, status, flow_run_id, message FROM etl_run")}
    # Newest first; only this module's runs exist in this warehouse (the tests before this one only read).
    assert [(r["status"], r["reason"]) for r in runs[:3]] == [("unchanged", "same files"), ("rejected", "broken copy"), ("succeeded", None)]
    newest, broken, load = runs[:3]
    assert newest["run_id"] > broken["run_id"] > load["run_id"]
    # Counted by a second way: the rows the load wrote, the errors the rejection stored.
    [written] = rows_of(loaded.url, f"SELECT count(*) AS n FROM indicator_value WHERE run_id = {load['run_id']}")
    assert load["values_added"] == written["n"] > 0
    [errors] = rows_of(loaded.url, f"SELECT count(*) AS n FROM validation_issue WHERE run_id = {broken['run_id']} AND severity = 'error'")
    assert broken["error_count"] == errors["n"] > 0 and broken["values_added"] is None
    assert all(r["duration_s"] is not None and r["duration_s"] >= 0 for r in runs[:3])
    ui = prefect_api_url.removesuffix("/").removesuffix("/api")
    for run in runs[:3]:
        assert run["flow_run_id"] == stored[run["run_id"]]["flow_run_id"]
        assert run["flow_run_url"] == f"{ui}/runs/flow-run/{run['flow_run_id']}"
    assert [r["year"] for r in json.loads(edustat(loaded, "runs", "--year", YEAR, "--format", "json").stdout)] == [int(YEAR)] * len(runs)
    none = edustat(loaded, "runs", "--year", "2019")
    assert none.returncode == 1 and "2019" in none.stderr and "没有" in none.stderr

    # The rejected run's Prefect flow run ended Failed with the deployments' one-line reason; the others Completed.
    states = {run["status"]: _flow_run_state(run["flow_run_id"]) for run in runs[:3]}
    failed_type, failed_message = states["rejected"]
    assert failed_type == "FAILED"
    assert failed_message.startswith(f"{YEAR}: run {broken['run_id']} rejected: {stored[broken['run_id']]['message']}")
    assert states["succeeded"][0] == states["unchanged"][0] == "COMPLETED"
    # The terminal output is what it was: the outcome line, no Prefect state lines.
    assert f"{YEAR}: run {broken['run_id']} rejected — " in rejected.stdout
    assert "Finished in state" not in rejected.stdout + rejected.stderr


def _flow_run_state(flow_run_id: str) -> tuple[str, str]:
    """The flow run's state type and message, read from the Prefect API (the session's test server)."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        state = client.read_flow_run(flow_run_id).state
    assert state is not None
    return state.type.value, state.message or ""


# --- the terminal ----------------------------------------------------------------------------------------------------


def test_tables_fit_a_100_column_terminal(loaded: Loaded) -> None:
    for args in (("indicators", "--year", YEAR), ("history", "--year", YEAR, "--indicator", "budget_per_student_higher_vocational_growth"), ("runs",)):
        shown = edustat(loaded, *args, COLUMNS="100")
        assert shown.returncode == 0, shown.stderr
        widths = [cell_len(line) for line in shown.stdout.splitlines()]
        assert widths and max(widths) <= 100, (args, max(widths))
    # Every region's name is still there, wrapped if need be: the longest county name survives in pieces.
    shown = edustat(loaded, "indicators", "--year", YEAR, "--level", "county", COLUMNS="100")
    assert "积石山" in shown.stdout


def test_an_unknown_code_gets_the_closest_codes(loaded: Loaded) -> None:
    for command in (("trace", "--year", YEAR), ("history", "--year", YEAR)):
        refused = edustat(loaded, *command, "--indicator", "preschool_gre")
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert "did you mean" in refused.stderr and "preschool_ger" in refused.stderr and "未知指标代码" in refused.stderr


def test_a_year_without_values_is_said_in_chinese_and_english(loaded: Loaded) -> None:
    missing = edustat(loaded, "indicators", "--year", "2021")
    assert missing.returncode == 1
    message = " ".join(missing.stderr.split())
    assert "no values for 2021" in message and "仓库中没有 2021 年的数据" in message


def test_help_shows_flags_without_a_value_and_defaults_whole(tmp_path: Path) -> None:
    for command in ("run", "indicators", "query", "history", "runs", "demo"):
        shown = run_edustat(command, "--help", cwd=tmp_path, env={"COLUMNS": "100"})
        assert shown.returncode == 0
        assert "<bool>" not in shown.stdout and "…" not in shown.stdout, command
    indicators = " ".join(run_edustat("indicators", "--help", cwd=tmp_path).stdout.split())
    assert "--catalogue List every code" in indicators
    assert "--encoding utf-8" in indicators and "order mark" in indicators
    assert "config/indicators.toml" in indicators
