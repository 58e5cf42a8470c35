"""Which table a sheet holds, by its name; the comparison form of sheet and header names; the warning for a sheet naming none."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from edustat.ingest.read import RawSheet
from schemas.issues import issue
from schemas.tables import TABLES

_TRAILING_UNIT = re.compile(r"(\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】)$")
_NAME_SEPARATORS = re.compile(r"[\s_\-—–.·、,()\[\]【】]+")


@lru_cache(maxsize=8192)
def normalize_name(text: str) -> str:
    """Comparison form of a header or sheet name: half-width, lower case, no spaces/underscores, no trailing unit or '*'."""
    name = unicodedata.normalize("NFKC", str(text)).strip().lower()
    name = re.sub(r"[\s_]+", "", name).rstrip("*")
    return _TRAILING_UNIT.sub("", name) or name


@lru_cache(maxsize=1)
def _sheet_names() -> dict[str, str]:
    return {normalize_name(name): table for table, spec in TABLES.items() for name in spec.sheet_names}


def recognise_table(sheet_name: str, file_stem: str, sheet_count: int) -> str | None:
    """The table a sheet holds, by its name (Chinese or English); a lone sheet with another name falls back to the file stem.

    A name matches when it is a table's sheet name, or holds one as a token ("622922_学校名录",
    "康乐县-在校生").
    """
    known = _sheet_names()
    candidates = [sheet_name] if sheet_count > 1 else [sheet_name, file_stem]
    for candidate in candidates:
        key = normalize_name(candidate)
        if key in known:
            return known[key]
        tokens = {normalize_name(token) for token in _NAME_SEPARATORS.split(unicodedata.normalize("NFKC", candidate))}
        hits = {known[token] for token in tokens if token in known}
        if len(hits) == 1:
            return hits.pop()
    return None


def unknown_sheet_row(sheet: RawSheet) -> dict:
    """The warning (as an issue dict) for a sheet whose name names no table."""
    expected = "、".join(name for spec in TABLES.values() for name in spec.sheet_names)
    return issue("unknown_sheet", "warning", source_file=sheet.source_file, source_sheet=sheet.source_sheet,
                 sheet=sheet.source_sheet, expected=expected)
