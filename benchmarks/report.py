"""The benchmark's verdicts against issue 6's targets, and the short table it prints."""

from __future__ import annotations

TARGETS = {
    "full_run_sqlite_s": ("≤ 1.5 × parse_only_s", lambda r: r["full_run_sqlite_s"] <= 1.5 * r["parse_only_s"]),
    "full_run_postgres_s": ("≤ 1.6 × parse_only_s", lambda r: r["full_run_postgres_s"] <= 1.6 * r["parse_only_s"]),
    "peak_rss_mb": ("≤ 4,096 MB", lambda r: r["peak_rss_mb"] <= 4096),
    "rerun_one_county_s": ("≤ 15% of full_run_sqlite_s", lambda r: r["rerun_one_county_s"] <= 0.15 * r["full_run_sqlite_s"]),
    "speedup_vs_baseline": ("≥ 10× at equal size", lambda r: r["speedup_vs_baseline"] >= 10),
}
"""Key → (target as text, whether a result meets it)."""


def targets(result: dict) -> dict[str, dict]:
    """Each target: its text, the measured value and whether it is met (None when not measured)."""
    verdicts = {}
    for key, (text, holds) in TARGETS.items():
        value = result.get(key)
        try:
            met = bool(holds(result)) if value is not None else None
        except (TypeError, KeyError):
            met = None
        verdicts[key] = {"target": text, "value": value, "met": met}
    return verdicts


def _number(value: object, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}{unit}"
    return f"{value:,}{unit}"


def table_lines(result: dict) -> list[str]:
    """The printed summary: one line per measure, with the ratio or target where there is one."""
    parse = result.get("parse_only_s") or 0
    full = result.get("full_run_sqlite_s") or 0

    def ratio(key: str) -> str:
        value = result.get(key)
        return f"{value / parse:.2f} × parse" if value and parse else ""

    verdict = {key: ("met" if v["met"] else "NOT met" if v["met"] is False else "") for key, v in result.get("targets", {}).items()}
    rows = [
        ("schools", _number(result.get("schools")), f"{result.get('files', 0):,} files, {result.get('counties', 0):,} counties", ""),
        ("parse_only_s", _number(result.get("parse_only_s"), " s"), "the reading limit", ""),
        ("full_run_sqlite_s", _number(result.get("full_run_sqlite_s"), " s"), ratio("full_run_sqlite_s"), verdict.get("full_run_sqlite_s", "")),
        ("full_run_postgres_s", _number(result.get("full_run_postgres_s"), " s"), ratio("full_run_postgres_s"), verdict.get("full_run_postgres_s", "")),
        ("rerun_one_county_s", _number(result.get("rerun_one_county_s"), " s"),
         f"{100 * result['rerun_one_county_s'] / full:.0f}% of full" if result.get("rerun_one_county_s") and full else "",
         verdict.get("rerun_one_county_s", "")),
        ("peak_rss_mb", _number(result.get("peak_rss_mb"), " MB"), "whole process tree", verdict.get("peak_rss_mb", "")),
        ("prefect_overhead_s", _number(result.get("prefect_overhead_s"), " s"), "the flow, no data work", ""),
        ("baseline_s", _number(result.get("baseline_s"), " s"), f"{_number(result.get('baseline_schools'))} schools, naive", ""),
        ("pipeline_at_baseline_size_s", _number(result.get("pipeline_at_baseline_size_s"), " s"),
         f"{_number(result.get('speedup_vs_baseline'))}× faster than the baseline", verdict.get("speedup_vs_baseline", "")),
    ]
    check = result.get("values_check")
    if check:
        rows.append(("values_check", "agree" if check["agree"] else f"{check['mismatches']} differ",
                     f"{check['pairs_checked']:,} region × indicator pairs", ""))
    width = max(len(name) for name, *_ in rows)
    lines = [f"edustat benchmark on {result.get('cores')} cores, median of {result.get('runs')} runs"]
    lines += [f"  {name:<{width}}  {value:>12}  {note:<34} {flag}".rstrip() for name, value, note, flag in rows]
    return lines


def print_table(result: dict) -> None:
    """Print the summary table."""
    print("\n".join(table_lines(result)))
