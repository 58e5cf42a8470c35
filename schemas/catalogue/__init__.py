"""The indicator catalogue and the relationship checks, read against the tables' contract and the messages.

config/ types each entry; here its table and columns are checked against schemas.tables, its problems worded with
schemas.messages, its templates expanded and its definition written in words. A file with any wrong entry is refused
as a whole (CatalogueError: one line per problem naming the file, the entry's code and the key, in Chinese and English)
before any input of a run is read. The builders are imported on first load, not with the package: they bring Polars
(through the messages), which `--help` must not.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from config import DEFAULT_CHECKS_FILE, DEFAULT_INDICATORS_FILE, read_toml

if TYPE_CHECKING:
    from config import Catalogue, Checks

__all__ = ["load_catalogue", "load_checks"]


@lru_cache(maxsize=8)
def load_catalogue(path: Path = DEFAULT_INDICATORS_FILE) -> Catalogue:
    """The indicator catalogue of ``path`` with every stage and measure template expanded: one entry per indicator code.

    Raises CatalogueError, naming the file, each wrong entry's code and key in Chinese and English,
    when an entry's terms cannot be computed (contract §4 "Indicators are data").
    """
    from schemas.catalogue.indicators_file import build_catalogue
    from schemas.rules import load_rules

    return build_catalogue(read_toml(Path(path)), load_rules(), Path(path))


@lru_cache(maxsize=8)
def load_checks(path: Path = DEFAULT_CHECKS_FILE) -> Checks:
    """The relationship checks of ``path``, one per entry (one per column of a ``columns`` template), in file order.

    Raises CatalogueError, naming the file, each wrong entry's code and key in Chinese and English,
    when an entry cannot be judged (contract §3 "Checks are data").
    """
    from schemas.catalogue.checks_file import build_checks
    from schemas.rules import load_rules

    return build_checks(read_toml(Path(path)), load_rules(), Path(path))
