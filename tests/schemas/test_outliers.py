"""Outliers (contract §3) on hand-made schools: an extra digit, a wrong unit, a zero-heavy group, a group too small to compare.

Peers are 211 public primary schools of county 622901 (prefecture 622900 in config/regions.toml);
[outliers] of config/rules.toml: factor 3, floor 20, min_students 30, peer_score 5, peer_factor 3,
peer_min_group 10, peer_max_zero_share 0.5.
"""

from __future__ import annotations

import polars as pl
from schema_builders import headers, staged

from config import load_regions
from schemas.outliers import format_number, outlier_issues, peer_outliers, previous_year_outliers
from schemas.rules import load_rules

RULES = load_rules()
REGIONS = load_regions()


def _code(i: int) -> str:
    return f"21620010{i:02d}"


def _schools(count: int, county: str = "622901") -> pl.DataFrame:
    return staged("schools", [
        {"school_code": _code(i), "school_name": f"小学{i}", "county_code": county, "school_type_code": "211", "urban_rural_code": "121", "ownership": "public"}
        for i in range(count)
    ])  # fmt: skip


def _enrollment(count: int, students: int = 200) -> pl.DataFrame:
    return staged("enrollment", [{"school_code": _code(i), "stage": "primary", "students": students} for i in range(count)])


def _rows(issues: pl.DataFrame) -> list[tuple]:
    return issues.select("rule", "source_row", "cell", "value").rows()


# --- against the school's previous year ---------------------------------------------------------


def test_an_extra_digit_is_beyond_the_factor_of_last_year_and_small_numbers_are_not_compared():
    staff_now = staged("staff", [
        {"school_code": _code(0), "stage": "primary", "teachers": 450, "backbone_teachers": 7},   # 45 → 450: ×10; 2 → 7: below the floor
        {"school_code": _code(1), "stage": "primary", "teachers": 120, "backbone_teachers": 2},   # 45 → 120: ×2.7, within 3
        {"school_code": _code(2), "stage": "primary", "teachers": 14},                            # 45 → 14: ÷3.2, beyond
    ])  # fmt: skip
    staff_before = pl.DataFrame({
        "school_code": [_code(0), _code(1), _code(2)], "stage": ["primary"] * 3, "teachers": [45, 45, 45], "backbone_teachers": [2, 2, None],
    })  # fmt: skip
    issues = previous_year_outliers({"staff": staff_now}, {"staff": staff_before}, headers("staff", {"teachers": "D"}), RULES)
    assert _rows(issues) == [("outlier_previous_year", 2, "D2", "450"), ("outlier_previous_year", 4, "D4", "14")]
    # expected: 45 / 3 = 15 to 45 × 3 = 135
    assert issues["message_en"][0] == "teachers is 450, 45 last year: beyond a factor of 3 (expected 15–135); check the unit and the digits"
    assert issues["message_zh"][0] == "专任教师数为 450，上年为 45：相差超过 3 倍（预期 15–135），请核实单位和位数"


def test_a_per_student_measure_is_compared_with_last_year_where_the_cell_alone_is_not():
    # books 8,000 both years (the cell is unchanged), students 400 → 40: 20 → 200 books per pupil, ×10
    facilities = staged("facilities", [{"school_code": _code(0), "books": 8000.0}])
    tables = {"facilities": facilities, "enrollment": _enrollment(1, students=40)}
    previous = {"facilities": pl.DataFrame({"school_code": [_code(0)], "books": [8000.0]}), "enrollment": _enrollment(1, students=400)}
    issues = previous_year_outliers(tables, previous, headers("facilities", {"books": "F"}), RULES)
    assert _rows(issues) == [("outlier_previous_year_per_student", 2, "F2", "8000.0")]
    assert "books per student is 200 (8000.0 / 40 students), 20 last year (400 students)" in issues["message_en"][0]
    assert "(expected 6.67–60)" in issues["message_en"][0]


def test_no_previous_year_no_comparison():
    staff = staged("staff", [{"school_code": _code(0), "stage": "primary", "teachers": 450}])
    assert previous_year_outliers({"staff": staff}, None, headers("staff", {}), RULES).height == 0
    assert previous_year_outliers({"staff": staff}, {"staff": staff.clear()}, headers("staff", {}), RULES).height == 0


# --- against the peers ------------------------------------------------------------------------------


def test_an_extra_digit_stands_out_from_twelve_peers():
    # 11 schools with 10 teachers for 200 pupils (0.05 each); one with 100: 0.5. Median of the twelve logs: log 0.05;
    # MAD 0, so the bound is log 3: expected 0.05 / 3 = 0.0167 to 0.15.
    staff = staged("staff", [{"school_code": _code(i), "stage": "primary", "teachers": 100 if i == 7 else 10} for i in range(12)])
    tables = {"schools": _schools(12), "enrollment": _enrollment(12), "staff": staff}
    issues = peer_outliers(tables, headers("staff", {"teachers": "D"}), REGIONS, RULES)
    assert _rows(issues) == [("outlier_peers", 9, "D9", "100")]
    assert issues["message_en"][0] == (
        "primary teachers per student is 0.5 (100 / 200 students), far from the median 0.05 of 12 schools of the same county and type"
        " (expected 0.0167–0.15); check the unit and the digits"
    )
    assert issues["message_zh"][0].startswith("小学每名学生专任教师数 0.5（100 / 在校生 200）远离同县同类学校（12 所）的中位数 0.05")


def test_a_budget_in_yuan_instead_of_ten_thousand_yuan_stands_out():
    # 11 budgets of 100 万元 for 200 pupils (0.5 each) and one of 1,000,000 元 typed into the 万元 column (5,000 a pupil)
    funding = staged("funding", [
        {"school_code": _code(i), "stage": "primary", "budget_10k_yuan": 1_000_000.0 if i == 3 else 100.0} for i in range(12)
    ])  # fmt: skip
    tables = {"schools": _schools(12), "enrollment": _enrollment(12), "funding": funding}
    issues = peer_outliers(tables, headers("funding", {"budget_10k_yuan": "C"}), REGIONS, RULES)
    assert _rows(issues) == [("outlier_peers", 5, "C5", "1000000.0")]
    assert "per student is 5000 (1000000.0 / 200 students), far from the median 0.5" in issues["message_en"][0]


def test_a_zero_heavy_group_is_not_compared_and_a_zero_is_never_an_outlier():
    # public funds: 8 of 12 schools at 0 (a share of 0.67 > 0.5), the others 10, 10, 10 and 100: not compared at all
    values = [0.0] * 8 + [10.0, 10.0, 10.0, 100.0]
    funding = staged("funding", [{"school_code": _code(i), "stage": "primary", "public_funds_10k_yuan": v} for i, v in enumerate(values)])
    tables = {"schools": _schools(12), "enrollment": _enrollment(12), "funding": funding}
    assert peer_outliers(tables, headers("funding", {}), REGIONS, RULES).height == 0
    # 2 zeros among 12 (a share of 0.17): the ten others are compared (the tenfold one flagged), the zeros are not
    values = [0.0] * 2 + [10.0] * 9 + [100.0]
    funding = staged("funding", [{"school_code": _code(i), "stage": "primary", "public_funds_10k_yuan": v} for i, v in enumerate(values)])
    issues = peer_outliers({**tables, "funding": funding}, headers("funding", {}), REGIONS, RULES)
    assert _rows(issues) == [("outlier_peers", 13, None, "100.0")]


def test_a_group_too_small_in_county_and_prefecture_has_no_fair_comparison():
    # five schools in the whole prefecture, one with ten times the teachers: no group of 10, no warning
    staff = staged("staff", [{"school_code": _code(i), "stage": "primary", "teachers": 100 if i == 0 else 10} for i in range(5)])
    tables = {"schools": _schools(5), "enrollment": _enrollment(5), "staff": staff}
    assert peer_outliers(tables, headers("staff", {}), REGIONS, RULES).height == 0


def test_a_small_county_is_compared_within_its_prefecture():
    # 4 schools in 622901 and 8 in 622921 (same prefecture 622900): the prefecture's group of 12 is used
    schools = pl.concat([_schools(4), _schools(12, county="622921").slice(4)])
    staff = staged("staff", [{"school_code": _code(i), "stage": "primary", "teachers": 100 if i == 0 else 10} for i in range(12)])
    issues = peer_outliers({"schools": schools, "enrollment": _enrollment(12), "staff": staff}, headers("staff", {}), REGIONS, RULES)
    assert _rows(issues) == [("outlier_peers", 2, None, "100")]
    assert "of 12 schools of the same prefecture and type" in issues["message_en"][0]


def test_tiny_schools_are_not_measured():
    # 29 pupils is below min_students: a teaching point's per-pupil figures are noise
    staff = staged("staff", [{"school_code": _code(i), "stage": "primary", "teachers": 100 if i == 0 else 10} for i in range(12)])
    enrollment = _enrollment(12).with_columns(pl.when(pl.col("school_code") == _code(0)).then(29).otherwise(pl.col("students")).alias("students"))
    assert peer_outliers({"schools": _schools(12), "enrollment": enrollment, "staff": staff}, headers("staff", {}), REGIONS, RULES).height == 0


def test_outlier_issues_are_warnings_only():
    staff = staged("staff", [{"school_code": _code(i), "stage": "primary", "teachers": 100 if i == 7 else 10} for i in range(12)])
    previous = {"staff": pl.DataFrame({"school_code": [_code(7)], "stage": ["primary"], "teachers": [10]})}
    issues = outlier_issues({"schools": _schools(12), "enrollment": _enrollment(12), "staff": staff}, previous, headers("staff", {}), REGIONS, RULES)
    assert sorted(issues["rule"].to_list()) == ["outlier_peers", "outlier_previous_year"]
    assert set(issues["severity"]) == {"warning"}


def test_numbers_in_messages():
    assert [format_number(v) for v in (450.0, 0.016666, 5000.0, 0.15, 2.2627, 1234.56)] == ["450", "0.0167", "5000", "0.15", "2.26", "1235"]


def test_peers_grouped_by_their_text_when_their_numbers_would_not_fit(monkeypatch):
    # The peer groups are numbered (column, stage, region, school type, ownership as one integer) unless the numbers could
    # exceed 63 bits; then the text columns group them: the same peers, the same warnings as above.
    import schemas.outliers

    monkeypatch.setattr(schemas.outliers, "_fits", lambda *sizes: False)
    staff = staged("staff", [{"school_code": _code(i), "stage": "primary", "teachers": 100 if i == 7 else 10} for i in range(12)])
    tables = {"schools": _schools(12), "enrollment": _enrollment(12), "staff": staff}
    assert _rows(peer_outliers(tables, headers("staff", {"teachers": "D"}), REGIONS, RULES)) == [("outlier_peers", 9, "D9", "100")]
    schools = pl.concat([_schools(4), _schools(12, county="622921").slice(4)])
    staff = staged("staff", [{"school_code": _code(i), "stage": "primary", "teachers": 100 if i == 0 else 10} for i in range(12)])
    issues = peer_outliers({"schools": schools, "enrollment": _enrollment(12), "staff": staff}, headers("staff", {}), REGIONS, RULES)
    assert _rows(issues) == [("outlier_peers", 2, None, "100")]
    assert "of 12 schools of the same prefecture and type" in issues["message_en"][0]


def test_no_peers_when_no_registry_school_is_in_a_configured_county():
    # The same staff as above, but the schools' county 999999 is not in config/regions.toml: no school has peers.
    staff = staged("staff", [{"school_code": _code(i), "stage": "primary", "teachers": 100 if i == 7 else 10} for i in range(12)])
    tables = {"schools": _schools(12, county="999999"), "enrollment": _enrollment(12), "staff": staff}
    assert peer_outliers(tables, headers("staff", {"teachers": "D"}), REGIONS, RULES).height == 0
