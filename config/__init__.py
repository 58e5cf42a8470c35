"""Configuration as data: region hierarchy, indicator catalogue and rules, parsed into typed models at load."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError

    from config.models import Catalogue, RegionTree, Rules

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_REGIONS_FILE = CONFIG_DIR / "regions.toml"
INDICATORS_FILE = CONFIG_DIR / "indicators.toml"
RULES_FILE = CONFIG_DIR / "rules.toml"

__all__ = [
    "CONFIG_DIR",
    "DEFAULT_REGIONS_FILE",
    "ConfigError",
    "load_catalogue",
    "load_regions",
    "load_rules",
]


class ConfigError(Exception):
    """A configuration file is missing, unreadable or breaks its model; the message names the file."""


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigError(f"{path}: file not found / 配置文件不存在") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML / 不是有效的 TOML: {error}") from error


def _fail(path: Path, error: ValidationError) -> ConfigError:
    details = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors())
    return ConfigError(f"{path}: {details}")


@lru_cache(maxsize=8)
def load_regions(path: Path = DEFAULT_REGIONS_FILE) -> RegionTree:
    """The region hierarchy of ``path``: one entry per province, prefecture and county."""
    # The models (pydantic) are imported on first load, not with the package: `edustat query` and
    # `--help` reach config through the settings' default paths and never load a file.
    from pydantic import ValidationError

    from config.models import Region, RegionTree

    data = _read_toml(Path(path))
    try:
        return RegionTree(regions=tuple(Region(**r) for r in data.get("region", [])))
    except ValidationError as error:
        raise _fail(Path(path), error) from error
    except ValueError as error:
        raise ConfigError(f"{path}: {error}") from error


@lru_cache(maxsize=2)
def load_rules(path: Path = RULES_FILE) -> Rules:
    """Thresholds, weights, standards, targets and the schedule."""
    from pydantic import ValidationError

    from config.models import Rules

    try:
        return Rules(**_read_toml(Path(path)))
    except ValidationError as error:
        raise _fail(Path(path), error) from error


def _expand(entry: dict[str, Any], data: dict[str, Any], rules: Rules) -> list[dict[str, Any]]:
    """One catalogue entry → one dict per stage (and measure) it stands for."""
    units = data["units"]
    stages = entry.pop("stages", [None])
    measures = entry.pop("measures", [None])
    report = entry.pop("report", None)
    rows = []
    for stage in stages:
        for measure in measures:
            words: dict[str, str] = {}
            if stage is not None:
                info = rules.stages[stage]
                words |= {"stage": stage, "stage_zh": info.name_zh, "stage_en": info.name_en}
            if measure is not None:
                names = data["measures"][measure]
                words |= {"measure": measure, "measure_zh": names["name_zh"], "measure_en": names["name_en"]}
            row = {k: v.format(**words) if isinstance(v, str) else v for k, v in entry.items()}
            row["stage"] = stage
            row["measure"] = measure
            row["report"] = report.get(stage) if isinstance(report, dict) else report
            unit = units[row["unit"]]
            row["unit_zh"], row["unit_en"] = unit["zh"], unit["en"]
            rows.append(row)
    return rows


@lru_cache(maxsize=2)
def load_catalogue(path: Path = INDICATORS_FILE) -> Catalogue:
    """The indicator catalogue with every stage and measure template expanded: one entry per indicator code."""
    from pydantic import ValidationError

    from config.models import Catalogue, Indicator

    data = _read_toml(Path(path))
    rules = load_rules()
    try:
        rows = [row for entry in data.get("indicator", []) for row in _expand(dict(entry), data, rules)]
        return Catalogue(
            indicators=tuple(Indicator(**row) for row in rows),
            sections=data["sections"],
            report_region=data["report_region"],
            report_year=data["report_year"],
        )
    except ValidationError as error:
        raise _fail(Path(path), error) from error
    except (KeyError, ValueError) as error:
        raise ConfigError(f"{path}: {error}") from error


