"""`uv run python -m benchmarks.checks_identical --sample DIR/2020 --previous DIR/2019 --against REV`: the checks and outliers of
the working tree against those of git revision REV, on the same tables: the issue frames compared column by column, both timed.

The year and the previous year are read and combined once, as ``benchmarks.checks`` does. REV's
``schemas/checks.py`` and ``schemas/outliers.py`` are loaded from git under other names (they import
the rest of ``schemas`` from the working tree). ``--perturb SHARE`` first alters about SHARE of every
numeric cell of both years (×10, ÷10, ×3, 0, negative or empty, in turn), empties or changes a few
schools' codes and ownership, and repeats a few registry codes and previous-year keys (the altered
copy first), so that every check and every kind of outlier has rows to find. The calls alternate
(REV, then the working tree) ``--runs`` times; printed: the median wall and CPU seconds of each,
the issues found by rule, and whether the frames are identical (sorted, then in their own order).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

import polars as pl

from benchmarks.checks import as_stored, read_year
from config import load_regions
from edustat.ingest.stage import combine_year
from schemas import checks as checks_now
from schemas import outliers as outliers_now
from schemas.catalogue import load_checks
from schemas.rules import load_rules
from schemas.tables import numeric_columns

REPOSITORY = Path(__file__).resolve().parent.parent


def module_at(revision: str, path: str, name: str, folder: Path) -> ModuleType:
    """The module ``path`` as it is at git ``revision``, loaded as ``name``."""
    source = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=REPOSITORY, check=True, capture_output=True, text=True).stdout
    file = folder / f"{name}.py"
    file.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _random(seed: int) -> pl.Expr:
    """A number in [0, 1) per row, the same for the same seed and row."""
    return (pl.int_range(pl.len(), dtype=pl.UInt64).hash(seed) % 1_000_000).cast(pl.Float64) / 1e6


def _altered(frame: pl.DataFrame, columns: list[str], share: float, seed: int) -> pl.DataFrame:
    """``frame`` with about ``share`` of each numeric cell of ``columns`` altered."""
    changes = []
    for position, column in enumerate(c for c in columns if c in frame.columns):
        hit, kind, value = _random(seed * 100 + position) < share, (_random(seed * 100 + position + 50) * 6).floor(), pl.col(column).cast(pl.Float64)
        changed = (
            pl.when(~hit).then(value).when(kind == 0).then(0.0).when(kind == 1).then(value * 10).when(kind == 2).then(value * 0.1)
            .when(kind == 3).then(value * 3).when(kind == 4).then(-value).otherwise(None)
        )  # fmt: skip
        dtype = frame.schema[column]
        changes.append((changed.round(0) if dtype.is_integer() else changed).cast(dtype, strict=False).alias(column))
    return frame.with_columns(changes) if changes else frame


def perturbed(tables: dict[str, pl.DataFrame], previous: dict[str, pl.DataFrame], share: float) -> tuple[dict, dict]:
    """Both years altered as the module docstring says."""
    numeric = numeric_columns()
    tables = {name: _altered(frame, numeric.get(name, []), share, seed) for seed, (name, frame) in enumerate(sorted(tables.items()))}
    previous = {name: _altered(frame, numeric.get(name, []), share, seed + 20) for seed, (name, frame) in enumerate(sorted(previous.items()))}
    schools, draw = tables["schools"], _random(999)
    schools = schools.with_columns(
        pl.when(draw < 0.02).then(pl.lit(None, pl.String)).otherwise(pl.col("ownership")).alias("ownership"),
        pl.when((draw >= 0.02) & (draw < 0.03)).then(pl.col("school_code") + "X").otherwise(pl.col("school_code")).alias("school_code"),
    )
    repeated = schools.filter(_random(77) < 0.01).with_columns(pl.lit("private").alias("ownership"), pl.lit("999").alias("school_type_code"))
    tables["schools"] = pl.concat([repeated, schools])
    previous = {
        name: pl.concat([frame.filter(_random(300 + seed) < 0.01).with_columns(
            (pl.col(c) * 7).cast(frame.schema[c]) for c in numeric.get(name, []) if c in frame.columns
        ), frame])
        for seed, (name, frame) in enumerate(sorted(previous.items()))
    }  # fmt: skip
    return tables, previous


def identical(before: pl.DataFrame, after: pl.DataFrame) -> dict:
    """Rows of each, and whether they are equal column by column once sorted, and in their own order."""
    columns = {}
    if before.schema == after.schema and before.height == after.height:
        ordered_before, ordered_after = before.sort(before.columns, nulls_last=True), after.sort(after.columns, nulls_last=True)
        columns = {name: ordered_before[name].equals(ordered_after[name]) for name in before.columns}
    return {
        "rows": (before.height, after.height),
        "columns_equal": columns,
        "identical": bool(columns) and all(columns.values()),
        "same_order": before.equals(after),
    }


def main() -> None:
    """Compare and time, and print the results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", type=Path, required=True)
    parser.add_argument("--previous", type=Path, required=True)
    parser.add_argument("--regions", type=Path)
    parser.add_argument("--against", required=True, help="the git revision to compare with")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--perturb", type=float, default=0.0)
    args = parser.parse_args()
    regions = load_regions(args.regions) if args.regions else load_regions()
    rules, checks = load_rules(), load_checks()
    results = read_year(args.sample, rules)
    staged = combine_year(results, regions, rules).staged
    tables = dict(staged.items())
    headers = pl.concat([r.headers for r in results], how="vertical")
    previous_staged = combine_year(read_year(args.previous, rules), regions, rules).staged
    previous = as_stored(dict(previous_staged.items()))
    if args.perturb:
        tables, previous = perturbed(tables, previous, args.perturb)
    with tempfile.TemporaryDirectory(prefix="edustat-against-") as folder:
        versions = {
            args.against: (module_at(args.against, "schemas/checks.py", "checks_against", Path(folder)),
                           module_at(args.against, "schemas/outliers.py", "outliers_against", Path(folder))),
            "working tree": (checks_now, outliers_now),
        }  # fmt: skip
        calls = {
            "checks": lambda module: module[0].check_issues(checks, tables, headers, rules),
            "outliers": lambda module: module[1].outlier_issues(tables, previous, headers, regions, rules),
        }
        found: dict[tuple[str, str], pl.DataFrame] = {}
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(args.runs):
            for kind, call in calls.items():
                for version, modules in versions.items():
                    wall, cpu = time.perf_counter(), time.process_time()
                    found[(version, kind)] = call(modules)
                    times.setdefault((version, kind), []).append((time.perf_counter() - wall, time.process_time() - cpu))
    print(f"schools {tables['schools'].height}")
    for (version, kind), measured in times.items():
        wall, cpu = statistics.median(t[0] for t in measured), statistics.median(t[1] for t in measured)
        print(f"{kind:9s} {version:14s} wall {wall:.3f} s  cpu {cpu:.3f} s  issues {found[(version, kind)].height}")
    for kind in calls:
        print(kind, dict(found[("working tree", kind)].group_by("rule").len().sort("rule").iter_rows()))
        print(kind, identical(found[(args.against, kind)], found[("working tree", kind)]))


if __name__ == "__main__":
    main()
