"""人口 (population): one row per county."""

from __future__ import annotations

import pandera.polars as pa

from config import Rules
from schemas.base import StagedModel, digits
from schemas.tables import POPULATION


class PopulationModel(StagedModel):
    """School-age population of one county by age band: counts ≥ 0."""

    county_code: str = pa.Field(str_matches=digits(POPULATION.column("county_code").digits))
    age_3_5: int = pa.Field(ge=0)
    age_6_11: int = pa.Field(ge=0)
    age_12_14: int = pa.Field(ge=0)
    age_15_17: int = pa.Field(ge=0)


def population_schema(rules: Rules) -> pa.DataFrameSchema:
    """The population schema (no rule of it depends on config)."""
    return PopulationModel.to_schema()
