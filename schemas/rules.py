"""config/rules.toml read against the tables' contract: every numeric column of every input table has its ceiling, and
every ceiling and every outlier column names such a column.

config/ reads and types the file but does not know the tables; this is where both meet, so callers load the rules here.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from config import RULES_FILE, read_rules

if TYPE_CHECKING:
    from config import Rules


@lru_cache(maxsize=2)
def load_rules(path: Path = RULES_FILE) -> Rules:
    """Thresholds, weights, standards, targets and the schedule of ``path``, their column lists checked against §2's tables.

    Raises ConfigError naming the file and the key when a value is wrong or a column unknown or without a ceiling.
    """
    from schemas.tables import numeric_columns

    return read_rules(Path(path), numeric_columns())
