"""The naive baseline: the same pipeline for a few indicators, written the obvious way.

pandas reads every sheet with openpyxl, cells are cleaned with per-cell Python functions, the
indicators are grouped and merged county by county and rolled up the region file, and every row is
inserted on its own with SQLAlchemy. It checks nothing and is only here to be timed.

`python -m benchmarks.baseline DIR REGIONS.toml sqlite:///baseline.db` prints {"schools": n, "values": m}.
"""

from __future__ import annotations

import argparse
import json
import tomllib
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from benchmarks.independent import GUARDED_TYPES, HEADERS, SHEETS, YES, _code, _number, _squeeze, _stage_words

TOTAL_WORDS = ("合计", "总计")


def read_sheet(path: Path, sheet: str) -> pd.DataFrame:
    """One sheet as a DataFrame with contract column names, title rows, total rows and other columns dropped."""
    raw = pd.read_excel(path, sheet_name=sheet, header=None, engine="openpyxl", dtype=object)
    for index in range(min(len(raw), 25)):
        names = [HEADERS.get(_squeeze(c).split("(")[0]) if isinstance(c, str) else None for c in raw.iloc[index]]
        if "school_code" in names or "county_code" in names:
            body = raw.iloc[index + 1 :].copy()
            body.columns = [n or f"_{i}" for i, n in enumerate(names)]
            body = body[[c for c in body.columns if not c.startswith("_")]]
            is_total = body.apply(lambda row: any(word in str(v) for v in row for word in TOTAL_WORDS), axis=1)
            return body[~is_total].dropna(how="all")
    return pd.DataFrame()


def read_all(input_dir: Path) -> dict[str, pd.DataFrame]:
    """Every table of every workbook, concatenated."""
    parts: dict[str, list[pd.DataFrame]] = {}
    for path in sorted(input_dir.rglob("*.xlsx")):
        for sheet in pd.ExcelFile(path, engine="openpyxl").sheet_names:
            table = SHEETS.get(_squeeze(sheet))
            if table:
                parts.setdefault(table, []).append(read_sheet(path, sheet))
    return {table: pd.concat(frames, ignore_index=True) for table, frames in parts.items()}


def clean(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Codes, numbers, stages and yes/no cleaned cell by cell."""
    stages = _stage_words()
    for frame in tables.values():
        for column in frame.columns:
            if column in ("school_code", "county_code", "school_type_code"):
                frame[column] = frame[column].map(_code)
            elif column == "stage":
                frame[column] = frame[column].map(lambda v: stages.get(_squeeze(v)))
            elif column == "is_closed_campus":
                frame[column] = frame[column].map(lambda v: _squeeze(v) in YES)
            else:
                frame[column] = frame[column].map(_number)
    return tables


def indicators(tables: dict[str, pd.DataFrame], regions_file: Path) -> pd.DataFrame:
    """Six indicators for every region: one row per region per indicator."""
    schools = tables["schools"][["school_code", "county_code", "school_type_code"]]
    enrollment = tables["enrollment"].merge(schools, on="school_code")
    staff = tables["staff"].merge(schools, on="school_code")
    funding = tables["funding"].merge(schools, on="school_code")
    security = tables["security"].merge(schools, on="school_code")
    terms = []
    preschool = enrollment[enrollment["stage"] == "preschool"].groupby("county_code")["students"].sum()
    ages = tables["population"].groupby("county_code")["age_3_5"].sum()
    terms.append(pd.DataFrame({"numerator": preschool, "denominator": ages}).assign(code="preschool_ger", scale=100.0))
    primary = enrollment[enrollment["stage"] == "primary"].groupby("county_code")["students"].sum()
    teachers = staff[staff["stage"] == "primary"].groupby("county_code")["teachers"].sum()
    terms.append(pd.DataFrame({"numerator": primary, "denominator": teachers}).assign(code="pupil_teacher_ratio_primary", scale=1.0))
    budget = funding.groupby("county_code")["budget_10k_yuan"].sum()
    terms.append(pd.DataFrame({"numerator": budget, "denominator": None}).assign(code="budget_total_10k_yuan", scale=1.0))
    compulsory = enrollment[enrollment["stage"].isin(["primary", "junior"])]
    large = (compulsory["classes_56_65"] + compulsory["classes_66_plus"]).groupby(compulsory["county_code"]).sum()
    terms.append(pd.DataFrame({"numerator": large, "denominator": compulsory.groupby("county_code")["classes"].sum()}).assign(code="large_class_share", scale=100.0))
    guarded = security[security["school_type_code"].isin(GUARDED_TYPES)]
    terms.append(pd.DataFrame({"numerator": (guarded["guards"] >= 1).groupby(guarded["county_code"]).sum(),
                               "denominator": guarded.groupby("county_code").size()}).assign(code="guard_rate_schools", scale=100.0))
    terms.append(pd.DataFrame({"numerator": security.groupby("county_code")["is_closed_campus"].sum(),
                               "denominator": security.groupby("county_code").size()}).assign(code="closed_campus_rate", scale=100.0))
    county = pd.concat(terms).rename_axis("county_code").reset_index().fillna({"numerator": 0.0})
    regions = tomllib.loads(regions_file.read_text(encoding="utf-8"))["region"]
    parent = {r["code"]: r.get("parent_code") for r in regions}
    rows = []
    for _, row in county.iterrows():
        region = row["county_code"]
        while region:
            rows.append({"region_code": region, "code": row["code"], "numerator": row["numerator"], "denominator": row["denominator"], "scale": row["scale"]})
            region = parent.get(region)
    rolled = pd.DataFrame(rows).groupby(["region_code", "code"], as_index=False).agg(
        numerator=("numerator", "sum"), denominator=("denominator", lambda s: s.sum(min_count=1)), scale=("scale", "first")
    )
    rolled["value"] = rolled.apply(
        lambda r: r["numerator"] if pd.isna(r["denominator"]) else (r["scale"] * r["numerator"] / r["denominator"] if r["denominator"] else None),
        axis=1,
    )
    return rolled


def load(tables: dict[str, pd.DataFrame], values: pd.DataFrame, url: str) -> None:
    """Every row inserted on its own, one table per input table plus the values."""
    engine = sa.create_engine(url)
    metadata = sa.MetaData()
    targets = {}
    for name, frame in {**tables, "indicator_value": values}.items():
        columns = [sa.Column(c, sa.Float if pd.api.types.is_numeric_dtype(frame[c]) else sa.Text) for c in frame.columns]
        targets[name] = sa.Table(name, metadata, *columns)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    with engine.begin() as conn:
        for name, frame in {**tables, "indicator_value": values}.items():
            for record in frame.to_dict("records"):
                conn.execute(targets[name].insert().values(**{k: (None if pd.isna(v) else v) for k, v in record.items()}))
    engine.dispose()


def run(input_dir: Path, regions_file: Path, url: str) -> dict[str, int]:
    """The baseline pipeline end to end; how many schools and values it handled."""
    tables = clean(read_all(input_dir))
    values = indicators(tables, regions_file)
    load(tables, values, url)
    return {"schools": int(tables["schools"]["school_code"].nunique()), "values": len(values)}


def main() -> None:
    """Command line: run the baseline and print what it did as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input_dir", type=Path)
    parser.add_argument("regions_file", type=Path)
    parser.add_argument("warehouse_url")
    args = parser.parse_args()
    print(json.dumps(run(args.input_dir, args.regions_file, args.warehouse_url)))


if __name__ == "__main__":
    main()
