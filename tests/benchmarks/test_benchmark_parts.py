"""The benchmark's own arithmetic: the independent roll-up, the agreement test, the verdicts."""

from __future__ import annotations

from pathlib import Path

from benchmarks.independent import agrees, rolled_up
from benchmarks.report import table_lines, targets

REGIONS = """
[[region]]
code = "110000"
name_zh = "省"
name_en = "P"
level = "province"

[[region]]
code = "110100"
name_zh = "市"
name_en = "C"
level = "prefecture"
parent_code = "110000"

[[region]]
code = "110101"
name_zh = "甲县"
name_en = "A"
level = "county"
parent_code = "110100"

[[region]]
code = "110102"
name_zh = "乙县"
name_en = "B"
level = "county"
parent_code = "110100"
"""


def test_roll_up_is_sum_over_sum_at_every_level(tmp_path: Path) -> None:
    regions = tmp_path / "regions.toml"
    regions.write_text(REGIONS, encoding="utf-8")
    terms = {
        "110101": {"preschool_ger": [90.0, 100.0], "budget_total_10k_yuan": [5.0, 0.0]},
        "110102": {"preschool_ger": [10.0, 0.0], "budget_total_10k_yuan": [2.5, 0.0]},
    }
    values = rolled_up(terms, regions)
    # county A: 100 × 90 / 100 = 90; county B: denominator 0 → no value
    assert values[("110101", "preschool_ger")] == 90.0
    assert values[("110102", "preschool_ger")] is None
    # prefecture and province: 100 × (90 + 10) / (100 + 0) = 100, not the mean of 90 and nothing
    assert values[("110100", "preschool_ger")] == 100.0
    assert values[("110000", "preschool_ger")] == 100.0
    # a sum indicator is the sum: 5 + 2.5
    assert values[("110000", "budget_total_10k_yuan")] == 7.5


def test_agreement_allows_rounding_to_six_decimals_only() -> None:
    assert agrees(95.4212345, 95.421235)
    assert not agrees(95.42, 95.43)
    assert agrees(None, None)
    assert not agrees(None, 0.0)


def test_verdicts_against_the_issue_targets() -> None:
    # 14 ≤ 1.5 × 10 = 15 met; 17 > 1.6 × 10 = 16 not met; rerun 3 > 0.15 × 14 = 2.1 not met; 12× ≥ 10×
    result = {"parse_only_s": 10.0, "full_run_sqlite_s": 14.0, "full_run_postgres_s": 17.0, "rerun_one_county_s": 3.0,
              "peak_rss_mb": 5000.0, "speedup_vs_baseline": 12.0}
    verdicts = targets(result)
    assert {key: v["met"] for key, v in verdicts.items()} == {
        "full_run_sqlite_s": True, "full_run_postgres_s": False, "peak_rss_mb": False,
        "rerun_one_county_s": False, "speedup_vs_baseline": True,
    }
    assert targets({"parse_only_s": 10.0})["full_run_postgres_s"]["met"] is None
    lines = table_lines(result | {"targets": verdicts, "cores": 2, "runs": 3})
    assert lines[0] == "edustat benchmark on 2 cores, median of 3 runs"
    assert any("1.40 × parse" in line for line in lines)
