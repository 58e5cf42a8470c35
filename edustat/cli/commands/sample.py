"""`edustat sample`: realistic sample spreadsheets, for the default region or at scale (a province, the whole country)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from edustat.cli.app import app
from edustat.cli.options import console, fail
from schemas.words import plural

DEFAULT_YEARS = [2019, 2020]
DEFAULT_SEED = 2021


class Scale(str, Enum):
    """How much of the country the sample covers."""

    prefecture = "prefecture"
    province = "province"
    national = "national"


@app.command()
def sample(
    out: Annotated[Path, typer.Option("--out", help="Folder to write {year}/ subfolders into.", file_okay=False)],
    years: Annotated[list[int] | None, typer.Option("--years", help="Years to write (repeat or list: --years 2019 --years 2020).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed writes the same bytes.")] = DEFAULT_SEED,
    scale: Annotated[
        Scale,
        typer.Option(
            "--scale",
            help="prefecture: the default region (临夏州, calibrated to its report); province: one synthetic province "
            "(~19,000 schools); national: 31 provinces, ~330 prefectures, ~2,800 counties, ~530,000 schools.",
        ),
    ] = Scale.prefecture,
    schools: Annotated[
        int | None, typer.Option("--schools", help="About this many schools under a synthetic region tree (instead of --scale).", min=1)
    ] = None,
    workers: Annotated[int | None, typer.Option("--workers", help="Processes writing workbooks (default: one per core).", min=1)] = None,
) -> None:
    """Write realistic sample spreadsheets for every year asked: the default region, or a synthetic province or country.

    At scale every county sends one workbook (below {year}/{province code}/), and the region file
    that matches them is written as OUT/regions.toml: pass it to `edustat run --regions`.
    """
    if scale is Scale.prefecture and schools is None:
        from edustat.sample import write_sample

        written = write_sample(out, years or DEFAULT_YEARS, seed=seed)
        console.print(f"{plural(len(written), 'file')} written below {out} / 已写入 {len(written)} 个文件", markup=False)
        return
    if schools is not None and scale is not Scale.prefecture:
        raise fail("give either --scale or --schools, not both / --scale 与 --schools 只能给一个", code=2)
    from edustat.sample.national import write_scaled_sample

    result = write_scaled_sample(
        out, years or DEFAULT_YEARS, scale=None if schools is not None else scale.value, schools=schools, seed=seed, workers=workers
    )
    console.print(
        f"{len(result.files):,} workbooks written below {out}: {result.schools:,} schools in {result.counties:,} counties a year; "
        f"region file {result.regions_file}"
    )
    year = (years or DEFAULT_YEARS)[-1]
    console.print(f"load a year with / 载入一年: edustat run --year {year} --input {out / str(year)} --regions {result.regions_file}")
