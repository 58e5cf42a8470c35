"""A digest of the code that turns a file into staged rows, so cached parses expire when that code changes."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import edustat.ingest
import schemas

_PARSING_PACKAGES = (Path(edustat.ingest.__file__).parent, Path(schemas.__file__).parent)


@lru_cache(maxsize=1)
def parser_digest() -> str:
    """SHA-256 over the sources of edustat/ingest and schemas/, each named by its path below its package's parent."""
    digest = hashlib.sha256()
    for package in _PARSING_PACKAGES:
        for source in sorted(package.rglob("*.py"), key=lambda p: p.as_posix()):
            digest.update(source.relative_to(package.parent).as_posix().encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()
