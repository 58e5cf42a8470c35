"""人口 (population): one row per county — school-age population by age band, counts ≥ 0."""

from __future__ import annotations

from schemas.spec import COUNTY_CODE, PER_COUNTY, TableSpec, integer

POPULATION = TableSpec(
    name="population",
    sheet_zh="人口",
    grain=PER_COUNTY,
    columns=(
        COUNTY_CODE,
        integer("age_3_5", "3-5岁人口"),
        integer("age_6_11", "6-11岁人口"),
        integer("age_12_14", "12-14岁人口"),
        integer("age_15_17", "15-17岁人口"),
    ),
)
"""The school-age population of one county."""
