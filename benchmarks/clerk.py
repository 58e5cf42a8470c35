"""`uv run python -m benchmarks.clerk [--runs K] [--rows N]`: what the clerk's marked copies cost `edustat validate`.

Three inputs, each a temporary copy of the sample's 2020 folder (``edustat sample``):

- ``sample``: as written (广河县's unknown 备注 columns give 7 warnings: one copy);
- ``faults``: one 在校生数 typed as words in every county's 在校生 (a copy of every county's workbook or 在校生 file);
- ``garbage``: 临夏县's 在校生 followed by ``--rows`` (200,000) rows of garbage (``benchmarks.hostile``): its copy is rebuilt
  sheet by sheet within ``max_copied_cells`` and cut.

For each: ``validate_s``, the median seconds of ``edustat validate`` as a whole process (``--runs`` times), which
writes the problem list and the copies; and in this process, on the same problems, the seconds of the error
workbook with its copies (``workbook_with_copies_s``) and of the problem list alone (``list_only_s``), each also
as CPU seconds (``*_cpu_s``, less disturbed by a busy machine), the copies written and their size. No time is asserted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from benchmarks.hostile import garbage_case
from benchmarks.measure import run_process, sample_scratch

EDUSTAT = [sys.executable, "-m", "edustat.cli"]


def faults_case(folder: Path) -> None:
    """The first school's 在校生数 typed as words (四百) in every county's 在校生 sheet or file of ``folder``."""
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".csv" and path.stem == "在校生":
            lines = path.read_bytes().decode("gb18030").split("\n")
            cells = lines[1].split(",")
            cells[lines[0].split(",").index("在校生数")] = "四百"
            lines[1] = ",".join(cells)
            path.write_bytes("\n".join(lines).encode("gb18030"))
        elif path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path)
            names = [name for name in book.sheetnames if name in ("在校生", "enrollment")]
            ws = book[names[0]] if names else (book.active if path.stem == "在校生" else None)
            if ws is None:
                continue
            students = next(cell for row in ws.iter_rows() for cell in row if isinstance(cell.value, str) and cell.value.strip() in ("在校生数", "students"))
            ws.cell(row=students.row + 1, column=students.column).value = "四百"
            book.save(path)


CASES = {
    "sample": lambda folder, rows: None,
    "faults": lambda folder, rows: faults_case(folder),
    "garbage": lambda folder, rows: garbage_case(folder, rows),
}


def _in_process(folder: Path, out_dir: Path, runs: int) -> dict:
    """The error workbook's seconds with and without copies, on the problems ``validate`` finds in ``folder``."""
    from config import DEFAULT_REGIONS_FILE
    from edustat.configuration import load_configuration
    from edustat.errorbook import write_error_workbook
    from edustat.validation import validate_inputs

    configuration = load_configuration(DEFAULT_REGIONS_FILE)
    issues = validate_inputs(folder, configuration, None).issues
    limit = configuration.rules.limits.max_copied_cells
    timings: dict[str, list[float]] = {"workbook_with_copies_s": [], "list_only_s": [], "workbook_with_copies_cpu_s": [], "list_only_cpu_s": []}
    for _ in range(runs):
        for key, with_copies in (("workbook_with_copies_s", True), ("list_only_s", False)):
            started, cpu = time.perf_counter(), time.process_time()
            write_error_workbook(issues, folder, out_dir / key / "errors_2020.xlsx", max_copied_cells=limit, with_copies=with_copies)
            timings[key].append(time.perf_counter() - started)
            # CPU seconds of this process: what the work costs on a machine others are not also using.
            timings[key.replace("_s", "_cpu_s")].append(time.process_time() - cpu)
    copies = [p for p in (out_dir / "workbook_with_copies_s" / "errors_2020").rglob("*.xlsx")]
    return {
        "problems": issues.height,
        **{key: round(statistics.median(values), 2) for key, values in timings.items()},
        "copies": len(copies),
        "copies_mb": round(sum(p.stat().st_size for p in copies) / 2**20, 2),
    }


def main(argv: list[str] | None = None) -> None:
    """Measure every case and print one line each (and the JSON with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="garbage rows below 临夏县's own (default 200,000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results: dict[str, dict] = {}
    with sample_scratch("edustat-clerk-") as scratch:
        for case in args.cases:
            with tempfile.TemporaryDirectory(prefix=f"clerk-{case}-") as work:
                folder = Path(work) / "2020"
                shutil.copytree(scratch.year_2020, folder)
                CASES[case](folder, args.rows)
                seconds, codes = [], []
                for run in range(args.runs):
                    out = Path(work) / f"run{run}" / "errors_2020.xlsx"
                    measured = run_process([*EDUSTAT, "validate", "--year", "2020", "--input", str(folder), "--out", str(out)], env=scratch.env, cwd=Path(work))
                    seconds.append(measured.wall_s)
                    codes.append(measured.returncode)
                results[case] = {"validate_s": round(statistics.median(seconds), 2), "exit_codes": codes, **_in_process(folder, Path(work), args.runs)}
            print(f"{case:8} {json.dumps(results[case], ensure_ascii=False)}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
