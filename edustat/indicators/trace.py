"""The schools behind one value: each school's share, recomputed from staged rows by the engine's own code (pure).

Values are stored, their school contributions are not (ten million rows a year at national scale):
a trace runs the same compiled catalogue terms (any ratio, sum or count code, a new one included)
or balance code over the stored school rows of the counties asked, so that its rows add up to the
stored numerator and denominator.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from config import TERM_KINDS, Catalogue, Indicator, Rules
from edustat.indicators.balance import balance_school_values, weighted_cv
from edustat.indicators.exact_sums import DECIMALS
from edustat.indicators.term_sums import indicator_rows
from schemas.staged import StagedTables


class NotTraceable(ValueError):
    """The code is unknown, or no school row makes up its value (growth, a balance pass flag)."""


@dataclass(frozen=True)
class Trace:
    """The rows behind one indicator, and how they add up.

    rows: one row per school (or per county for a county-wide term such as population), county and
    school order. For ratio, sum and count codes and a balance school pass share: county_code,
    school_code, numerator, denominator — their sums over a region's counties are its stored
    numerator and denominator. For a balance CV: county_code, school_code, students (the weight
    Pᵢ) and value (Xᵢ) of each school taking part; the county's CV is their weighted CV.
    """

    indicator_code: str
    kind: str
    rows: pl.DataFrame


def trace(staged: StagedTables, rules: Rules, catalogue: Catalogue, indicator_code: str) -> Trace:
    """The rows behind ``indicator_code`` in ``staged`` (see Trace); raises NotTraceable when no school row makes it up."""
    indicator = catalogue.by_code().get(indicator_code)
    if indicator is None:
        raise NotTraceable(f"unknown indicator code {indicator_code!r} / 未知指标代码")
    if indicator.kind in TERM_KINDS:
        rows = indicator_rows(staged, rules, catalogue, indicator_code)
        if rows is None:
            raise NotTraceable(f"{indicator_code} has no terms in the catalogue / 该指标在指标目录中没有定义")
        return Trace(indicator_code, indicator.kind, _ordered(rows))
    if indicator.kind == "balance" and indicator.statistic in ("cv", "school_pass_share") and indicator.stage:
        return Trace(indicator_code, indicator.kind, _balance_rows(staged, rules, indicator))
    raise NotTraceable(
        f"{indicator_code} ({indicator.kind}) is not made of school rows: see `edustat history` for the values it compares"
        f" / 该指标不由学校数据直接汇总"
    )


def _balance_rows(staged: StagedTables, rules: Rules, indicator: Indicator) -> pl.DataFrame:
    """Each school taking part in the stage: its pass (1/0 of 1) for the pass share, its students and measure for a CV."""
    schools = balance_school_values(staged, rules).filter(pl.col("stage") == indicator.stage)
    if indicator.statistic == "school_pass_share":
        rows = schools.select(
            "county_code",
            "school_code",
            pl.col("is_passing").cast(pl.Float64).alias("numerator"),
            pl.lit(1.0).alias("denominator"),
        )
    elif indicator.measure is not None and indicator.measure in schools.columns:
        rows = schools.select("county_code", "school_code", pl.col("students").cast(pl.Int64), pl.col(indicator.measure).alias("value"))
    else:
        raise NotTraceable(f"{indicator.code} is not made of school rows / 该指标不由学校数据直接汇总")
    return _ordered(rows)


def _ordered(rows: pl.DataFrame) -> pl.DataFrame:
    return rows.sort("county_code", "school_code", nulls_last=True, maintain_order=True)


def totals(traced: Trace) -> dict[str, float | None]:
    """What the rows add up to, in the stored value's terms: Σ numerator and Σ denominator, or a CV's S, X̄ and CV.

    Numbers are rounded as stored values are (DECIMALS), so a trace of an unchanged configuration
    equals the stored row; the CV is only defined for a single county's rows.
    """
    rows = traced.rows
    if "numerator" in rows.columns:
        sums = rows.select(pl.col("numerator").sum(), pl.col("denominator").sum()).row(0)
        return {"numerator": _rounded(sums[0]), "denominator": _rounded(sums[1])}
    cv = weighted_cv(rows.with_columns(pl.lit("").alias("stage")), ["value"]).collect()
    if cv.height != 1:
        return {}
    row = cv.row(0, named=True)
    return {"numerator": _rounded(row["sd"]), "denominator": _rounded(row["mean"]), "value": _rounded(row["cv"])}


def _rounded(number: float | None) -> float | None:
    return None if number is None else round(float(number), DECIMALS) + 0.0


SCHOOL_COLUMNS = ("school_name", "school_type_code", "urban_rural_code", "ownership")
"""Registry columns a traced row is shown with."""


def with_names(rows: pl.DataFrame, staged: StagedTables, county_names: dict[str, str]) -> pl.DataFrame:
    """Trace rows with the county's name and the school's registry columns after the codes (NULL for county-wide terms)."""
    registry = staged.schools.select("school_code", *SCHOOL_COLUMNS).unique("school_code", keep="first", maintain_order=True)
    names = pl.DataFrame({"county_code": list(county_names), "county_name": list(county_names.values())}, schema={"county_code": pl.String, "county_name": pl.String})
    measures = [c for c in rows.columns if c not in ("county_code", "school_code")]
    return (
        rows.join(names, on="county_code", how="left", maintain_order="left")
        .join(registry, on="school_code", how="left", maintain_order="left")
        .select("county_code", "county_name", "school_code", *SCHOOL_COLUMNS, *measures)
    )
