"""Configuration as data: region hierarchy, indicator catalogue and rules, parsed into typed models at load."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError

    from config.models import Catalogue, Checks, RegionTree, Rules

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_REGIONS_FILE = CONFIG_DIR / "regions.toml"
DEFAULT_INDICATORS_FILE = CONFIG_DIR / "indicators.toml"
DEFAULT_CHECKS_FILE = CONFIG_DIR / "checks.toml"
RULES_FILE = CONFIG_DIR / "rules.toml"

__all__ = [
    "CONFIG_DIR",
    "DEFAULT_CHECKS_FILE",
    "DEFAULT_INDICATORS_FILE",
    "DEFAULT_REGIONS_FILE",
    "CatalogueError",
    "ConfigError",
    "load_catalogue",
    "load_checks",
    "load_regions",
    "load_rules",
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


@lru_cache(maxsize=8)
def load_catalogue(path: Path = DEFAULT_INDICATORS_FILE) -> Catalogue:
    """The indicator catalogue of ``path`` with every stage and measure template expanded: one entry per indicator code.

    Raises CatalogueError, naming the file, each wrong entry's code and key in Chinese and English,
    when an entry's terms cannot be computed (contract §4 "Indicators are data").
    """
    from config.catalogue_build import build_catalogue

    return build_catalogue(_read_toml(Path(path)), load_rules(), Path(path))


@lru_cache(maxsize=8)
def load_checks(path: Path = DEFAULT_CHECKS_FILE) -> Checks:
    """The relationship checks of ``path``, one per entry (one per column of a ``columns`` template), in file order.

    Raises CatalogueError, naming the file, each wrong entry's code and key in Chinese and English,
    when an entry cannot be judged (contract §3 "Checks are data").
    """
    from config.checks_build import build_checks

    return build_checks(_read_toml(Path(path)), load_rules(), Path(path))
