"""The scaled sample: a synthetic region tree of the asked size, one valid workbook per county, and its region file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import polars as pl

from config import load_regions
from edustat.ingest.stage import stage_year
from edustat.sample.national import kept_codes, plan_for, province_trees, thin, write_scaled_sample
from edustat.sample.regions_synthetic import NATIONAL, TreeSize, size_for_counties, synthetic_tree, tree_toml
from schemas.issues import has_errors
from schemas.rules import load_rules


def test_national_tree_has_the_country_shape() -> None:
    tree = synthetic_tree(NATIONAL)
    levels = Counter(region.level for region in tree.regions)
    assert levels == {"province": 31, "prefecture": 330, "county": 2800}
    by_code = tree.by_code()
    # every county sits two levels below a province, with codes PPxxyy under PPxx00 under PP0000
    for county in (r for r in tree.regions if r.level == "county"):
        prefecture = by_code[county.parent_code]
        assert prefecture.level == "prefecture" and prefecture.code == county.code[:4] + "00"
        assert by_code[prefecture.parent_code].code == county.code[:2] + "0000"


def test_tree_file_reads_back_as_the_same_tree(tmp_path: Path) -> None:
    tree = synthetic_tree(TreeSize(provinces=2, prefectures=3, counties=7))
    path = tmp_path / "regions.toml"
    path.write_text(tree_toml(tree), encoding="utf-8")
    assert load_regions(path) == tree


def test_small_trees_keep_the_national_proportions() -> None:
    # 26 counties / (2800 / 330) = 3.06 → 3 prefectures; 3 / (330 / 31) = 0.28 → at least 1 province
    assert size_for_counties(26) == TreeSize(provinces=1, prefectures=3, counties=26)
    assert size_for_counties(0) == TreeSize(provinces=1, prefectures=1, counties=1)


def test_plan_for_a_school_count_thins_to_about_that_many() -> None:
    plan = plan_for(schools=1900)
    counties = sum(region.level == "county" for region in plan.tree.regions)
    # 1900 / (530000 / 2800) = 10.04 → 10 counties; keep 1900 / (10 × 212) = 0.896 of generated schools
    assert counties == 10
    assert abs(plan.keep_share - 1900 / (10 * 212.0)) < 1e-12


def test_thinning_drops_a_school_from_every_table() -> None:
    tables = {
        "schools": pl.DataFrame({"school_code": [f"21{i:08d}" for i in range(200)]}),
        "enrollment": pl.DataFrame({"school_code": [f"21{i:08d}" for i in range(200) for _ in range(2)]}),
        "population": pl.DataFrame({"county_code": ["110101"]}),
    }
    kept = thin(tables, 0.5, seed=1)
    codes = set(kept["schools"]["school_code"])
    assert 0 < len(codes) < 200
    assert set(kept["enrollment"]["school_code"]) == codes
    assert kept["enrollment"].height == 2 * len(codes)
    assert kept["population"].height == 1
    # the same seed keeps the same schools
    assert kept_codes(tables["schools"]["school_code"], 0.5, 1).to_list() == kept_codes(tables["schools"]["school_code"], 0.5, 1).to_list()


def test_province_trees_cover_the_tree_once() -> None:
    tree = synthetic_tree(TreeSize(provinces=3, prefectures=5, counties=12))
    parts = province_trees(tree)
    assert len(parts) == 3
    assert sorted(r.code for part in parts for r in part.regions) == sorted(r.code for r in tree.regions)


def test_written_sample_is_one_valid_workbook_per_county(tmp_path: Path) -> None:
    written = write_scaled_sample(tmp_path, [2020], schools=600, workers=1)
    regions = load_regions(written.regions_file)
    counties = sorted(r.code for r in regions.regions if r.level == "county")
    assert sorted(p.name.split("_")[0] for p in written.files) == counties
    assert all(p.parent.parent == tmp_path / "2020" and p.suffix == ".xlsx" for p in written.files)
    staged, issues = stage_year(tmp_path / "2020", regions, load_rules())
    assert not has_errors(issues), issues.filter(pl.col("severity") == "error").head(5)
    assert staged.schools.height == written.schools
    assert set(staged.population["county_code"]) == set(counties)
