"""学校名录 (schools): one row per school."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from config import Rules
from schemas.base import OWNERSHIPS, SchoolRowModel, digits, is_one_of
from schemas.tables import SCHOOLS


class SchoolsModel(SchoolRowModel):
    """Contract rules of the schools table that need no configuration."""

    school_name: str
    county_code: str = pa.Field(str_matches=digits(SCHOOLS.column("county_code").digits))
    school_type_code: str = pa.Field(str_matches=digits(SCHOOLS.column("school_type_code").digits))
    urban_rural_code: str = pa.Field(str_matches=digits(SCHOOLS.column("urban_rural_code").digits))
    ownership: str
    is_inclusive: bool = pa.Field(nullable=True)

    @pa.check("ownership", name="unknown_ownership")
    def unknown_ownership(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """One boolean per row: ownership is public or private."""
        return is_one_of(data, OWNERSHIPS)


def schools_schema(rules: Rules) -> pa.DataFrameSchema:
    """SchoolsModel plus the rules whose code lists live in config: type and urban/rural codes, and
    is_inclusive answered by every private kindergarten."""
    schema = SchoolsModel.to_schema()
    kindergartens = list(rules.school_groups.kindergartens)

    def inclusive_answered(data: pa.PolarsData) -> pl.LazyFrame:
        is_private_kindergarten = (pl.col("ownership") == "private") & pl.col("school_type_code").is_in(kindergartens)
        return data.lazyframe.select((~is_private_kindergarten.fill_null(False) | pl.col("is_inclusive").is_not_null()).alias(data.key))

    extra = {
        "school_type_code": pa.Check(lambda data: is_one_of(data, list(rules.school_types)), name="unknown_school_type"),
        "urban_rural_code": pa.Check(lambda data: is_one_of(data, list(rules.urban_rural)), name="unknown_urban_rural"),
        # ignore_na=False: the failing cells are exactly the empty ones.
        "is_inclusive": pa.Check(inclusive_answered, name="inclusive_required", ignore_na=False),
    }
    for column, check in extra.items():
        schema = schema.update_column(column, checks=[*schema.columns[column].checks, check])
    return schema
