"""`uv run python -m benchmarks.hostile [--rows N] [--runs K]`: how long hostile input takes to be refused.

Two cases, each built in a temporary copy of the sample's 2020 folder (``edustat sample``), with one
county's workbook (临夏县) replaced:

- ``garbage``: its 在校生 sheet followed by ``--rows`` (200,000) rows of garbage (random text, numbers
  as words, negative and absurd numbers, empty cells) below the clerk's own rows;
- ``copies``: its 在校生 sheet followed by ``--rows`` copies of its first school's row (one key repeated);
- ``bomb``: its 在校生 sheet with one more cell, at XFD1048576 (the sheet's dimension says so too).

Each case goes through ``edustat validate`` and ``edustat run`` (into a SQLite warehouse that holds the
good 2020 load, through a background Prefect server started once, before the first measured run) as
whole processes, ``--runs`` times (each run with empty result storage, so nothing comes from the parse
cache); the median seconds, the exit codes, the run's status, whether the current values stayed as they
were and whether the error workbooks open are printed. Beside them, ``read_file``: the seconds the
pipeline's reader takes on the case's workbook alone, in this process (the bomb's refusal).
No time is asserted: the targets (garbage < 30 s, bomb < 1 s) are printed beside the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import sqlalchemy as sa
import xlsxwriter
from python_calamine import CalamineWorkbook

from benchmarks.measure import run_process
from edustat.ingest.read import read_file
from runtime.local_server import ensure_server, stop_server
from schemas.rules import load_rules

EDUSTAT = [sys.executable, "-m", "edustat.cli"]
COUNTY_FILE = "622921_临夏县.xlsx"
GARBAGE_SHEET = "在校生"
TARGETS_S = {"garbage": 30.0, "copies": 30.0, "bomb": 1.0}
EXCEL_LAST_ROW, EXCEL_LAST_COLUMN = 1_048_575, 16_383
"""0-based: XFD1048576."""


def _sheets(path: Path) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def _garbage_cell(draw: random.Random) -> object:
    """One cell as a careless clerk, a broken export or an attacker might fill it."""
    kind = draw.randrange(8)
    if kind == 0:
        return ""
    if kind == 1:
        return "".join(draw.choice("垃圾数据无效abcxyz#=@!?") for _ in range(draw.randint(1, 12)))
    if kind == 2:
        return draw.choice(["四百六十一", "N/A", "#REF!", "—", "=1/0", "null"])
    if kind == 3:
        return -draw.randint(1, 10**6)
    if kind == 4:
        return draw.choice([1e308, 1e160, 2.5e-300, 123.456])
    if kind == 5:
        return str(draw.randint(0, 10**12))
    if kind == 6:
        return draw.choice(["小学", "大学", "学前", "幼儿园?"])
    return draw.randint(0, 5000)


def _write_book(path: Path, sheets: dict[str, list[list[object]]], extra: Callable[[str, object], None] | None = None) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    for name, rows in sheets.items():
        worksheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            worksheet.write_row(r, 0, ["" if value is None else value for value in row])
        if extra is not None:
            extra(name, worksheet)
    book.close()


def garbage_case(folder: Path, rows: int, seed: int = 14) -> None:
    """临夏县's 在校生 sheet in ``folder`` followed by ``rows`` garbage rows (its other sheets as they were)."""
    path = folder / COUNTY_FILE
    sheets = _sheets(path)
    draw = random.Random(seed)
    width = len(sheets[GARBAGE_SHEET][0])
    sheets[GARBAGE_SHEET] = sheets[GARBAGE_SHEET] + [[_garbage_cell(draw) for _ in range(width)] for _ in range(rows)]
    path.unlink()  # the folder is a copy: replace the file, never write through it
    _write_book(path, sheets)


def copies_case(folder: Path, rows: int) -> None:
    """临夏县's 在校生 sheet in ``folder`` followed by ``rows`` copies of its first school's row: one key repeated ``rows`` times."""
    path = folder / COUNTY_FILE
    sheets = _sheets(path)
    body = sheets[GARBAGE_SHEET]
    first = next(row for row in body if isinstance(row[0], float))  # below the title and header rows
    sheets[GARBAGE_SHEET] = body + [list(first) for _ in range(rows)]
    path.unlink()
    _write_book(path, sheets)


def bomb_case(folder: Path) -> None:
    """临夏县's 在校生 sheet in ``folder`` with one more cell, at XFD1048576: a sparse sheet whose range is Excel's whole grid."""
    path = folder / COUNTY_FILE
    sheets = _sheets(path)

    def far_cell(name: str, worksheet: object) -> None:
        if name == GARBAGE_SHEET:
            worksheet.write(EXCEL_LAST_ROW, EXCEL_LAST_COLUMN, 1)  # type: ignore[attr-defined]

    path.unlink()
    _write_book(path, sheets, far_cell)


CASES: dict[str, Callable[[Path, int], None]] = {
    "garbage": lambda folder, rows: garbage_case(folder, rows),
    "copies": copies_case,
    "bomb": lambda folder, rows: bomb_case(folder),
}


def _warehouse(url: str) -> dict:
    """The last run (status, issues stored) and a fingerprint of the current values, to see that a rejection changed none."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            row = connection.execute(sa.text("SELECT run_id, status FROM etl_run ORDER BY run_id DESC LIMIT 1")).mappings().one()
            issues = connection.execute(sa.text("SELECT COUNT(*) FROM validation_issue WHERE run_id = :r"), {"r": row["run_id"]}).scalar_one()
            values = connection.execute(sa.text("SELECT COUNT(*), MAX(value_id), SUM(value) FROM indicator_value WHERE is_current")).one()
            return {"status": row["status"], "issues": issues, "values": list(values)}
    finally:
        engine.dispose()


def _workbook(path: Path) -> str:
    """Whether the error workbook opens, and how large its sheets are."""
    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except Exception as error:  # noqa: BLE001 - the benchmark reports it instead of failing
        return f"does not open: {type(error).__name__}"
    try:
        rows = max(ws.max_row or 0 for ws in book.worksheets)
        return f"opens: {len(book.sheetnames)} sheets, at most {rows:,} rows"
    finally:
        book.close()


def _refusal_s(path: Path, runs: int) -> float:
    """Median seconds of reading the case's workbook alone (edustat.ingest.read.read_file, with its safety checks)."""
    limits = load_rules().limits
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        read_file(path, path.parent, limits)
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3)


def _measure(command: list[str], env_of: Callable[[int], dict[str, str]], cwd: Path, runs: int) -> dict:
    times, codes = [], set()
    for attempt in range(runs):
        measured = run_process(command, env=env_of(attempt), cwd=cwd)
        times.append(measured.wall_s)
        codes.add(measured.returncode)
        if "Traceback" in measured.stdout + measured.stderr:
            codes.add("traceback")
    return {"median_s": round(statistics.median(times), 2), "all_s": [round(t, 2) for t in times], "exit": sorted(codes, key=str)}


def main(argv: list[str] | None = None) -> None:
    """Build each hostile case, run it through validate and run, and print the medians (and write them with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="garbage rows below the clerk's own (default 200,000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="edustat-hostile-") as scratch_dir:
        scratch = Path(scratch_dir)
        home = scratch / "prefect-home"
        url = f"sqlite:///{scratch / 'warehouse.db'}"
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {
            "PREFECT_HOME": str(home),
            "EDUSTAT_WAREHOUSE_URL": url,
            "EDUSTAT_ERROR_WORKBOOK_DIR": str(scratch / "errors"),
        }
        if run_process([*EDUSTAT, "sample", "--out", str(scratch / "sample"), "--years", "2020"], env=env).returncode != 0:
            raise SystemExit("edustat sample failed")
        ensure_server(home)
        try:
            good = scratch / "sample" / "2020"
            loaded = run_process([*EDUSTAT, "run", "--year", "2020", "--input", str(good)], env=env, cwd=scratch)
            if loaded.returncode != 0:
                raise SystemExit(f"the good 2020 load failed: {loaded.stdout[-2000:]}{loaded.stderr[-2000:]}")
            before = _warehouse(url)["values"]
            for case in args.cases:
                folder = scratch / case / "2020"
                shutil.copytree(good, folder)
                started = time.perf_counter()
                CASES[case](folder, args.rows)
                built_s = time.perf_counter() - started
                out = scratch / f"{case}_errors.xlsx"
                validate = _measure(
                    [*EDUSTAT, "validate", "--year", "2020", "--input", str(folder), "--out", str(out)], lambda _: env, scratch, args.runs
                )
                # Each run gets empty result storage: a rerun would otherwise take the parse of the same bytes from the cache.
                run = _measure(
                    [*EDUSTAT, "run", "--year", "2020", "--input", str(folder)],
                    lambda attempt, case=case: env | {"PREFECT_LOCAL_STORAGE_PATH": str(scratch / f"storage-{case}-{attempt}")},
                    scratch, args.runs,
                )
                after = _warehouse(url)
                results[case] = {
                    "built_s": round(built_s, 2), "read_file_s": _refusal_s(folder / COUNTY_FILE, args.runs), "validate": validate, "run": run,
                    "last_run": after["status"], "issues_stored": after["issues"], "values_unchanged": after["values"] == before,
                    "validate_workbook": _workbook(out), "run_workbook": _workbook(scratch / "errors" / "errors_2020.xlsx"),
                    "target_s": TARGETS_S[case],
                }
        finally:
            stop_server(home)
    _print(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))


def _print(results: dict[str, dict]) -> None:
    print(f"{'case':8s} {'what':20s} {'median s':>9s} {'target s':>9s}  exit  each (s)")
    for case, result in results.items():
        print(f"{case:8s} {'read_file (county)':20s} {result['read_file_s']:9.3f}")
        for command in ("validate", "run"):
            measured = result[command]
            print(f"{case:8s} {'edustat ' + command:20s} {measured['median_s']:9.2f} {result['target_s']:9.1f}  {measured['exit']}  {measured['all_s']}")
        print(
            f"{case:8s} run {result['last_run']}, {result['issues_stored']:,} issues stored, values unchanged: {result['values_unchanged']};"
            f" workbooks: validate {result['validate_workbook']}; run {result['run_workbook']} (case built in {result['built_s']} s)"
        )


if __name__ == "__main__":
    main()
