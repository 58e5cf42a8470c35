"""The benchmark's inputs: a scaled sample generated once and reused, subsets of it, and a county's correction."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from python_calamine import CalamineWorkbook

from benchmarks.baseline_env import ENV_DIR
from edustat.sample.national import NATIONAL_SCHOOLS, REGIONS_FILE_NAME, write_scaled_sample
from edustat.sample.regions_synthetic import tree_toml

YEAR = 2020
MARKER = "bench.json"
"""Written next to the data once it is complete: what was asked for and what was written."""

GUARD_HEADERS = ("专职保安员数", "guards")
SECURITY_SHEETS = ("安保", "security")


@dataclass(frozen=True)
class BenchData:
    """A year of inputs and the region file that matches them."""

    root: Path
    input_dir: Path
    regions_file: Path
    files: int
    counties: int
    schools_generated: int | None


def default_dir(schools: int, seed: int) -> Path:
    """Where the data of ``schools`` schools is kept between benchmark runs."""
    return Path(tempfile.gettempdir()) / f"edustat-bench-{schools}-{seed}"


def ensure_data(schools: int, seed: int, root: Path | None = None, workers: int | None = None) -> BenchData:
    """The sample of ``schools`` schools below ``root`` (generated unless a complete one is there already)."""
    root = Path(root or default_dir(schools, seed))
    input_dir = root / str(YEAR)
    regions_file = root / REGIONS_FILE_NAME
    marker = root / MARKER
    if not (input_dir.is_dir() and regions_file.is_file()):
        # The baseline's environment may already be there (benchmarks/baseline_env.py keeps it below the data folder).
        if root.exists() and any(path.name != ENV_DIR for path in root.iterdir()):
            raise SystemExit(f"{root} holds something else than a complete benchmark sample; choose another --data")
        if schools >= NATIONAL_SCHOOLS:
            written = write_scaled_sample(root, [YEAR], scale="national", seed=seed, workers=workers)
        else:
            written = write_scaled_sample(root, [YEAR], schools=schools, seed=seed, workers=workers)
        marker.write_text(json.dumps({"schools_asked": schools, "seed": seed, "schools": written.schools, "counties": written.counties}))
    info = json.loads(marker.read_text()) if marker.is_file() else {}
    files = sorted(p for p in input_dir.rglob("*") if p.suffix.lower() in (".xlsx", ".xls", ".csv"))
    counties = sum(1 for r in tomllib.loads(regions_file.read_text(encoding="utf-8"))["region"] if r["level"] == "county")
    return BenchData(root, input_dir, regions_file, len(files), counties, info.get("schools"))


def _link_tree(source: Path, target: Path) -> None:
    """``target`` as a copy of ``source`` made of hard links (no bytes copied)."""
    for path in sorted(source.rglob("*")):
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, destination)


def working_copy(data: BenchData, target: Path) -> Path:
    """A hard-linked copy of the year's folder below ``target`` that a correction may change without touching the data."""
    if target.exists():
        shutil.rmtree(target)
    _link_tree(data.input_dir, target)
    return target


def restore(work_dir: Path, original: Path) -> None:
    """Undo corrections: every file of ``work_dir`` a hard link to its original again."""
    for path in sorted(p for p in work_dir.rglob("*") if p.is_file()):
        source = original / path.relative_to(work_dir)
        if not path.samefile(source):
            path.unlink()
            os.link(source, path)


def subset(data: BenchData, share: float, target: Path) -> tuple[Path, Path]:
    """The first ``share`` of the county workbooks (hard links) and a region file of just their counties and ancestors."""
    files = sorted(p for p in data.input_dir.rglob("*.xlsx"))
    keep = files[: max(1, round(len(files) * share))]
    if target.exists():
        shutil.rmtree(target)
    input_dir = target / str(YEAR)
    for path in keep:
        destination = input_dir / path.relative_to(data.input_dir)
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, destination)
    counties = {p.name.split("_", 1)[0] for p in keep}
    regions = tomllib.loads(data.regions_file.read_text(encoding="utf-8"))["region"]
    by_code = {r["code"]: r for r in regions}
    wanted: set[str] = set()
    for code in counties:
        while code:
            wanted.add(code)
            code = by_code[code].get("parent_code")
    from config import Region, RegionTree

    tree = RegionTree(regions=tuple(Region(**r) for r in regions if r["code"] in wanted))
    regions_file = target / REGIONS_FILE_NAME
    regions_file.write_text(tree_toml(tree), encoding="utf-8")
    return input_dir, regions_file


def _squeeze(text: object) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().lower()


def correct_one_county(input_dir: Path, original: Path, revision: int) -> Path:
    """Rewrite one county's workbook as its clerk would after a correction: the first school's guards changed.

    The workbook is rebuilt from its cells (values only) with guards = original + ``revision``; the
    file is replaced, not written through, so a hard-linked original stays as it was. Returns the path.
    """
    first = sorted(p for p in input_dir.rglob("*.xlsx"))[0]
    source = original / first.relative_to(input_dir)
    workbook = CalamineWorkbook.from_path(str(source))
    sheets = {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}
    name = next(n for n in sheets if _squeeze(n) in SECURITY_SHEETS)
    rows = sheets[name]
    header = next(i for i, row in enumerate(rows) if any(_squeeze(c).startswith(GUARD_HEADERS) for c in row if c not in (None, "")))
    column = next(j for j, c in enumerate(rows[header]) if c not in (None, "") and _squeeze(c).startswith(GUARD_HEADERS))
    old = rows[header + 1][column]
    rows[header + 1][column] = int(float(unicodedata.normalize("NFKC", str(old)).replace(",", ""))) + revision
    first.unlink()
    book = xlsxwriter.Workbook(str(first))
    for sheet_name, cells in sheets.items():
        worksheet = book.add_worksheet(sheet_name)
        for r, row in enumerate(cells):
            worksheet.write_row(r, 0, ["" if value is None else value for value in row])
    book.close()
    return first
