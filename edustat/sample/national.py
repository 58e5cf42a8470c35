"""`edustat sample --scale national|province` and `--schools N`: a synthetic country (or part of one), one workbook per county.

The tree comes from ``regions_synthetic``; each province is generated on its own with the
ordinary sample generator (so it is deterministic in the seed and independent of the others) and
written by a pool of worker processes, so 2,800 workbooks take minutes, not an hour. The region
file that matches the data is written next to the year folders as ``regions.toml``.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import zlib
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl

from config import RegionTree
from edustat.sample.generate import generate_year
from edustat.sample.regions_synthetic import NATIONAL, PROVINCE, TreeSize, size_for_counties, synthetic_tree, tree_toml
from edustat.sample.render import render_county, split_by_county
from edustat.sample.shapes import SHAPES
from edustat.sample.write import write_sheets

Scale = Literal["national", "province"]

NATIONAL_SCHOOLS = 530_000
"""About the number of schools in China (kindergartens to vocational colleges)."""

GENERATED_PER_COUNTY = 212.0
"""Schools the sample's county mix gives an average county (measured over a 90-county province)."""

SCHOOLS_PER_COUNTY = NATIONAL_SCHOOLS / NATIONAL.counties
"""Schools of an average county of the country (about 189)."""

WORKBOOK_SHAPES = tuple(shape for shape in SHAPES if shape.layout == "workbook")
"""Counties of a scaled sample each send one workbook, in one of the sample's workbook shapes."""

REGIONS_FILE_NAME = "regions.toml"


@dataclass(frozen=True)
class ScaledPlan:
    """What a scaled sample holds: its tree and the share of generated schools it keeps."""

    tree: RegionTree
    keep_share: float
    """Each generated school is kept with this probability (by a hash of its code), to hit the school count."""


@dataclass(frozen=True)
class ScaledSample:
    """A written scaled sample: the region file, every workbook, and the counts (per year)."""

    regions_file: Path
    files: list[Path]
    schools: int
    counties: int


def plan_for(scale: Scale | None = None, schools: int | None = None, seed: int = 2021) -> ScaledPlan:
    """The tree and keep share of a scale (national: ~530,000 schools, 31 provinces; province: one) or of ``schools`` schools."""
    if schools is not None:
        if schools < 1:
            raise ValueError("--schools must be at least 1")
        size = size_for_counties(round(schools / SCHOOLS_PER_COUNTY))
        target = schools
    elif scale == "national":
        size, target = NATIONAL, NATIONAL_SCHOOLS
    elif scale == "province":
        size = PROVINCE
        target = round(PROVINCE.counties * SCHOOLS_PER_COUNTY)
    else:
        raise ValueError(f"unknown scale {scale!r}")
    keep = min(1.0, target / (size.counties * GENERATED_PER_COUNTY))
    return ScaledPlan(tree=synthetic_tree(size, seed), keep_share=keep)


def province_trees(tree: RegionTree) -> list[RegionTree]:
    """``tree`` cut into one subtree per province (the province, its prefectures and counties), in tree order."""
    by_code = tree.by_code()
    groups: dict[str, list] = {}
    for region in tree.regions:
        top = region
        while top.parent_code is not None:
            top = by_code[top.parent_code]
        groups.setdefault(top.code, []).append(region)
    return [RegionTree(regions=tuple(regions)) for regions in groups.values()]


def kept_codes(codes: pl.Series, share: float, seed: int) -> pl.Series:
    """Which school codes stay in the sample: a stable hash of seed and code below ``share`` (all when share ≥ 1)."""
    if share >= 1.0:
        return pl.Series([True] * codes.len(), dtype=pl.Boolean)
    limit = share * 2**32
    return pl.Series([zlib.crc32(f"{seed}|{code}".encode()) < limit for code in codes.to_list()], dtype=pl.Boolean)


def thin(tables: dict[str, pl.DataFrame], share: float, seed: int) -> dict[str, pl.DataFrame]:
    """``tables`` with only the kept schools (one decision per school, applied to every table keyed by school)."""
    if share >= 1.0:
        return tables
    schools = tables["schools"]
    kept = schools.filter(kept_codes(schools["school_code"], share, seed)).select("school_code")
    return {
        name: frame if "school_code" not in frame.columns else frame.join(kept, on="school_code", how="semi", maintain_order="left")
        for name, frame in tables.items()
    }


def _write_province(job: tuple[RegionTree, int, int, float, str, int]) -> tuple[list[str], int]:
    """One province's year: generated, thinned, one workbook per county below ``out/year/province``; (paths, schools)."""
    subtree, year, seed, share, out, offset = job
    tables = thin(generate_year(year, seed, subtree), share, seed)
    by_county = split_by_county(tables)
    province = next(r for r in subtree.regions if r.parent_code is None)
    folder = f"{year}/{province.code}"
    written: list[str] = []
    empty = {name: frame.clear() for name, frame in tables.items()}
    counties = [r for r in subtree.regions if r.level == "county"]
    for i, county in enumerate(counties):
        shape = WORKBOOK_SHAPES[(offset + i) % len(WORKBOOK_SHAPES)]
        sheets = render_county(by_county.get(county.code, empty), county.code, county.name_zh, year, shape, seed)
        sheets = [dataclasses.replace(s, path=f"{folder}/{county.code}_{county.name_zh}.xlsx") for s in sheets]
        written += [str(p) for p in write_sheets(Path(out), sheets, f"{county.name_zh}教育局", year)]
    return written, tables["schools"].height


def write_scaled_sample(
    out_dir: Path,
    years: Sequence[int],
    scale: Scale | None = None,
    schools: int | None = None,
    seed: int = 2021,
    workers: int | None = None,
) -> ScaledSample:
    """A synthetic region tree's sample below ``out_dir/{year}/{province}/``, one workbook per county, plus ``out_dir/regions.toml``.

    Provinces are generated and written in ``workers`` processes (all cores by default); the same
    seed writes the same bytes. ``schools`` counts one year's schools.
    """
    plan = plan_for(scale, schools, seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    regions_file = out_dir / REGIONS_FILE_NAME
    regions_file.write_text(tree_toml(plan.tree), encoding="utf-8")
    subtrees = province_trees(plan.tree)
    offsets = [0]
    for subtree in subtrees[:-1]:
        offsets.append(offsets[-1] + sum(r.level == "county" for r in subtree.regions))
    jobs = [(t, year, seed, plan.keep_share, str(out_dir), o) for year in years for t, o in zip(subtrees, offsets, strict=True)]
    # Big provinces first, so the pool does not end waiting on one of them.
    jobs.sort(key=lambda job: -len(job[0].regions))
    workers = workers or os.cpu_count() or 1
    files: list[Path] = []
    per_year: dict[int, int] = {}
    if workers == 1:
        results = map(_write_province, jobs)
    else:
        # spawn, not fork: a forked child can deadlock on the parent's Polars thread pool.
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        results = pool.map(_write_province, jobs)
    try:
        for job, (paths, count) in zip(jobs, results, strict=True):
            files += [Path(p) for p in paths]
            per_year[job[1]] = per_year.get(job[1], 0) + count
    finally:
        if workers != 1:
            pool.shutdown()
    counties = sum(r.level == "county" for r in plan.tree.regions)
    return ScaledSample(regions_file=regions_file, files=sorted(files), schools=max(per_year.values(), default=0), counties=counties)
