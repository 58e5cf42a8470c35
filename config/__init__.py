"""Configuration as data: the region hierarchy, the indicator catalogue, the checks and the rules, their typed models
(config.regions, config.catalogue, config.checks, config.rules) and the plain loaders of the files.

config/ imports nothing else of the project. What needs the tables' contract as well — the catalogue's and the
checks' terms and columns, the rules' ceilings — is read one layer up: schemas.catalogue.load_catalogue,
schemas.catalogue.load_checks and schemas.rules.load_rules.
"""

from __future__ import annotations

import importlib
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError

    from config.catalogue import TERM_KINDS, Catalogue, Condition, Indicator, IndicatorKind, Term
    from config.checks import Check, Checks, Severity
    from config.regions import LEVEL_ORDER, Region, RegionLevel, RegionTree
    from config.rules import (
        REPORT_UNITS, STAGES, Balance, Ceiling, Completeness, GuardStandard, Limits, Outliers, ReportRules, Rules, Schedule,
        SchoolGroups, SchoolType, StageInfo, Warnings,
    )

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_REGIONS_FILE = CONFIG_DIR / "regions.toml"
DEFAULT_INDICATORS_FILE = CONFIG_DIR / "indicators.toml"
DEFAULT_CHECKS_FILE = CONFIG_DIR / "checks.toml"
RULES_FILE = CONFIG_DIR / "rules.toml"

# The models are reached through the package (`from config import Rules`) but imported on first use, not with it:
# `edustat query` and `--help` reach config through the settings' default paths and never load a file or pydantic.
_MODELS = {
    "config.regions": ("LEVEL_ORDER", "Region", "RegionLevel", "RegionTree"),
    "config.rules": (
        "REPORT_UNITS", "STAGES", "Balance", "Ceiling", "Completeness", "GuardStandard", "Limits", "Outliers", "ReportRules",
        "Rules", "Schedule", "SchoolGroups", "SchoolType", "StageInfo", "Warnings",
    ),
    "config.catalogue": ("TERM_KINDS", "Catalogue", "Condition", "Indicator", "IndicatorKind", "Term"),
    "config.checks": ("Check", "Checks", "Severity"),
}

__all__ = [
    "CONFIG_DIR",
    "DEFAULT_CHECKS_FILE",
    "DEFAULT_INDICATORS_FILE",
    "DEFAULT_REGIONS_FILE",
    "RULES_FILE",
    "CatalogueError",
    "ConfigError",
    "invalid_file",
    "load_regions",
    "read_rules",
    "read_toml",
    *(name for names in _MODELS.values() for name in names),
]


class ConfigError(Exception):
    """A configuration file is missing, unreadable or breaks its model; the message names the file."""


class CatalogueError(ConfigError):
    """The indicator catalogue is refused: one line per problem, each naming the file, the entry's code and the key.

    ``lines`` holds (Chinese, English) per problem; the message is every line in both languages.
    """

    def __init__(self, lines: list[tuple[str, str]]) -> None:
        self.lines = lines
        super().__init__("\n".join(f"{zh}\n{en}" for zh, en in lines))


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed file, or ConfigError naming it: missing, too large (refused unread), not UTF-8, not TOML, nested too
    deep, or holding text the warehouse or a terminal cannot take (config.limits)."""
    from config.limits import MAX_CONFIG_BYTES, MAX_NESTING, data_problems, deep_nesting_at, shown

    try:
        size = path.stat().st_size
        if size > MAX_CONFIG_BYTES:
            raise ConfigError(
                f"{path}: {size} bytes, more than the limit of {MAX_CONFIG_BYTES} for a configuration file / "
                f"配置文件大小 {size} 字节，超过上限 {MAX_CONFIG_BYTES}"
            )
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError as error:
        raise ConfigError(f"{path}: file not found / 配置文件不存在") from error
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte 0x{error.object[error.start]:02x} at offset {error.start}); save it as UTF-8 / "
            f"不是 UTF-8 编码（第 {error.start} 字节为 0x{error.object[error.start]:02x}），请另存为 UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML / 不是有效的 TOML: {error}") from error
    except RecursionError:
        line, key = deep_nesting_at(path.read_text(encoding="utf-8")) or (0, "?")
        raise ConfigError(
            f"{path}：第 {line} 行，键 {shown(key)}：表或数组嵌套超过 {MAX_NESTING} 层，无法读取\n"
            f"{path}: line {line}, key {shown(key)}: tables or arrays nested more than {MAX_NESTING} levels deep cannot be read"
        ) from None
    problems = data_problems(data)
    if problems:
        raise ConfigError(
            "\n".join(f"{path}：条目 {entry}，键 {key}：{zh}\n{path}: entry {entry}, key {key}: {en}" for entry, key, zh, en in problems)
        )
    return data


def invalid_file(path: Path, error: ValidationError) -> ConfigError:
    """A model's refusal of the file ``path`` as one ConfigError: every error's location and message, joined by "; "."""
    details = "; ".join(_located(e["loc"], e["msg"].removeprefix("Value error, ")) for e in error.errors())
    return ConfigError(f"{path}: {details}")


def _located(loc: tuple, message: str) -> str:
    # A model's own check (the whole tree) has no location: its message names the entry and key itself.
    return f"{'.'.join(str(p) for p in loc)}: {message}" if loc else message


@lru_cache(maxsize=8)
def load_regions(path: Path = DEFAULT_REGIONS_FILE) -> RegionTree:
    """The region hierarchy of ``path``: one entry per province, prefecture and county."""
    # The models (pydantic) are imported on first load, not with the package: `edustat query` and
    # `--help` reach config through the settings' default paths and never load a file.
    from pydantic import ValidationError

    from config.limits import shown
    from config.regions import Region, RegionTree

    data = read_toml(Path(path))
    regions, lines = [], []
    for index, entry in enumerate(data.get("region", [])):
        # Each region on its own, so that a refusal names its entry (and code) as well as the key.
        try:
            regions.append(Region.model_validate(entry))
        except ValidationError as error:
            code = entry.get("code") if isinstance(entry, dict) else None
            name = f"region[{index}]" + (f" ({shown(code)})" if isinstance(code, str) else "")
            for each in error.errors():
                key = ".".join(str(part) for part in each["loc"]) or "(entry)"
                lines.append(f"{path}：条目 {name}，键 {key}：写法不对（{each['msg']}）\n{path}: entry {name}, key {key}: {each['msg']}")
    if lines:
        raise ConfigError("\n".join(lines))
    try:
        return RegionTree(regions=tuple(regions))
    except ValidationError as error:
        raise ConfigError(f"{path}：区划文件有误 / {invalid_file(Path(path), error)}") from error
    except ValueError as error:
        raise ConfigError(f"{path}：区划文件有误 / {path}: {error}") from error


def read_rules(path: Path = RULES_FILE, numeric_columns: dict[str, tuple[str, ...]] | None = None) -> Rules:
    """Thresholds, weights, standards, targets and the schedule of ``path``; ConfigError naming the file when one is wrong.

    ``numeric_columns`` (table → its numeric columns) is the tables' contract, which config/ does not know: when given,
    every ceiling and every outlier column is checked against it. Callers use schemas.rules.load_rules, which gives it.
    """
    from pydantic import ValidationError

    from config.rules import Rules

    try:
        return Rules.model_validate(read_toml(Path(path)), context={"numeric_columns": numeric_columns})
    except ValidationError as error:
        raise invalid_file(Path(path), error) from error


_MODULE_OF = {name: module for module, names in _MODELS.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'config' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
