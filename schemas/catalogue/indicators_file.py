"""The catalogue file's entries → the typed Catalogue: templates expanded, terms checked, definitions written from them.

Every problem of every entry is collected and the catalogue refused at once (CatalogueError), so
that a statistician fixes them in one go, before any input of a run is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from config import Catalogue, CatalogueError, ConfigError, Indicator, IndicatorKind, Rules, invalid_file
from config.limits import shown
from schemas.catalogue.definitions import GENERATED_KINDS, definition
from schemas.catalogue.problems import Problem, refusal_line, validation_problems
from schemas.catalogue.terms import entry_problems, shape_problems


class _EntryProblem(Exception):
    """An entry that cannot be expanded into its codes: a placeholder nothing fills, an unknown stage, unit or measure."""

    def __init__(self, key: str, rule: str, **fields: object) -> None:
        super().__init__(rule)
        self.problem: Problem = (key, rule, fields)


def _fill(value: Any, words: dict[str, str], key: str) -> Any:
    """``value`` with ``{stage}``, ``{measure}``… filled in every string it holds, however nested (terms are tables)."""
    if isinstance(value, str):
        try:
            return value.format(**words)
        except KeyError as missing:
            raise _EntryProblem(key, "catalogue_unknown_placeholder", name=str(missing.args[0])) from None
    if isinstance(value, list):
        return [_fill(item, words, key) for item in value]
    if isinstance(value, dict):
        return {name: _fill(item, words, f"{key}.{name}") for name, item in value.items()}
    return value


def _expand(entry: dict[str, Any], data: dict[str, Any], rules: Rules) -> list[dict[str, Any]]:
    """One catalogue entry → one dict per stage (and measure) it stands for."""
    units, measure_names = data.get("units", {}), data.get("measures", {})
    stages = entry.pop("stages", [None])
    measures = entry.pop("measures", [None])
    report = entry.pop("report", None)
    unit = units.get(entry.get("unit"))
    if unit is None:
        raise _EntryProblem("unit", "catalogue_unknown_unit", value=entry.get("unit"), choices=", ".join(units))
    rows = []
    for stage in stages:
        for measure in measures:
            words: dict[str, str] = {}
            if stage is not None:
                if stage not in rules.stages:
                    raise _EntryProblem("stages", "catalogue_unknown_stage", value=stage, choices=", ".join(rules.stages))
                info = rules.stages[stage]
                words |= {"stage": stage, "stage_zh": info.name_zh, "stage_en": info.name_en}
            if measure is not None:
                if measure not in measure_names:
                    raise _EntryProblem("measures", "catalogue_unknown_measure", value=measure, choices=", ".join(measure_names))
                names = measure_names[measure]
                words |= {"measure": measure, "measure_zh": names["name_zh"], "measure_en": names["name_en"]}
            row = {key: _fill(value, words, key) for key, value in entry.items()}
            row["stage"] = stage
            row["measure"] = measure
            row["report"] = report.get(stage) if isinstance(report, dict) else report
            row["unit_zh"], row["unit_en"] = unit["zh"], unit["en"]
            rows.append(row)
    return rows


def _indicator(row: dict[str, Any], rules: Rules) -> tuple[Indicator | None, list[Problem]]:
    """The entry's Indicator with its definition written from its terms, and its problems (the Indicator is None when it has some)."""
    problems: list[Problem] = []
    is_generated = row.get("kind") in GENERATED_KINDS
    if is_generated and "definition" in row:
        problems.append(("definition", "catalogue_definition_generated", {}))
    try:
        indicator = Indicator.model_validate({"definition": ""} | row if is_generated else row)
    except ValidationError as error:
        # An unknown kind is pydantic's to name; a known one is checked against the sides the entry has.
        is_kind = row.get("kind") in get_args(IndicatorKind)
        shape = shape_problems(row.get("kind"), "numerator" in row, "denominator" in row) if is_kind else []
        return None, problems + validation_problems(error) + shape
    problems += entry_problems(indicator, rules)
    if problems:
        return None, problems
    if is_generated:
        indicator = indicator.model_copy(update={"definition": definition(indicator, rules)})
    return indicator, []


def _line(path: Path, code: str, problem: Problem) -> tuple[str, str]:
    return refusal_line("catalogue_refused", path, shown(code), problem)


def build_catalogue(data: dict[str, Any], rules: Rules, path: Path) -> Catalogue:
    """The Catalogue of the parsed file ``data``; CatalogueError with every problem of every entry when there is any."""
    lines: list[tuple[str, str]] = []
    indicators: list[Indicator] = []
    seen: set[str] = set()
    for entry in data.get("indicator", []):
        try:
            rows = _expand(dict(entry), data, rules)
        except _EntryProblem as problem:
            lines.append(_line(path, str(entry.get("code")), problem.problem))
            continue
        for row in rows:
            code = str(row.get("code"))
            indicator, problems = _indicator(row, rules)
            if code in seen:
                problems.append(("code", "catalogue_duplicate_code", {}))
            seen.add(code)
            lines += [_line(path, code, problem) for problem in problems]
            if indicator is not None:
                indicators.append(indicator)
    if lines:
        raise CatalogueError(lines)
    try:
        return Catalogue(
            indicators=tuple(indicators), sections=data["sections"], report_region=data["report_region"], report_year=data["report_year"]
        )
    except ValidationError as error:
        raise invalid_file(path, error) from error
    except KeyError as missing:
        raise ConfigError(f"{path}: {missing} is missing / 缺少 {missing}") from None
