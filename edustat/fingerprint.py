"""A content hash of a year's input files: the same bytes give the same fingerprint, whatever their timestamps."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel

_CHUNK = 1 << 20


def file_digest(path: Path) -> str:
    """SHA-256 of one file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def input_fingerprint(root: Path, files: list[Path]) -> str:
    """SHA-256 over every input file's relative path and content digest, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        digest.update(path.relative_to(root).as_posix().encode("utf-8"))
        digest.update(b"\0")
        digest.update(file_digest(path).encode("ascii"))
        digest.update(b"\n")
    return digest.hexdigest()


ENGINE_PACKAGES = ("edustat/ingest", "edustat/indicators", "schemas")
"""Code whose change alters what a run stores from the same files (parse, validation, indicators)."""


def engine_digest() -> str:
    """SHA-256 over the sources of the packages in ENGINE_PACKAGES."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for package in ENGINE_PACKAGES:
        for source in sorted((root / package).glob("*.py")):
            digest.update(f"{package}/{source.name}".encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


def configuration_digest(*models: BaseModel) -> str:
    """SHA-256 over the configuration models given (region tree, rules, catalogue) and the engine's code.

    A correction may reuse the stored results of unchanged files only when this digest equals the
    one of the run that stored them.
    """
    digest = hashlib.sha256(engine_digest().encode("ascii"))
    for model in models:
        digest.update(b"\0")
        digest.update(model.model_dump_json().encode("utf-8"))
    return digest.hexdigest()
