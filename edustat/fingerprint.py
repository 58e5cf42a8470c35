"""A content hash of a year's input files: the same bytes give the same fingerprint, whatever their timestamps."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from pydantic import BaseModel

from edustat.ingest.discover import InputFolder, open_input


def file_digest(path: Path) -> str:
    """SHA-256 of one input file's bytes (a link in its place is refused, never followed)."""
    with open_input(path) as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


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


def engine_sources() -> list[Path]:
    """Every Python source below the packages of ENGINE_PACKAGES, subpackages included, in a fixed order."""
    root = Path(__file__).resolve().parent.parent
    return [source for package in ENGINE_PACKAGES for source in sorted((root / package).rglob("*.py"), key=lambda p: p.as_posix())]


def engine_digest() -> str:
    """SHA-256 over the sources of the packages in ENGINE_PACKAGES (each named by its path from the repository)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for source in engine_sources():
        digest.update(source.relative_to(root).as_posix().encode())
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


INPUT_FILE_SCHEMA = {"source_file": pl.String, "sha256": pl.String}
"""Columns of an input-file frame: one row per input file, its path below the year's folder and its SHA-256."""


HASH_THREADS = 4
"""Files hashed at once: hashlib lets go of the GIL while it hashes, so threads use every core."""


UNREADABLE_DIGEST = "unreadable"
"""The sha256 recorded for a file the process may not read: the run goes on, and reading the file reports unreadable_file."""


def readable_digest(path: Path) -> str:
    """``file_digest`` of ``path``, or UNREADABLE_DIGEST when it cannot be read (no permission, gone, a device error)."""
    try:
        return file_digest(path)
    except OSError:
        return UNREADABLE_DIGEST


def input_files(root: Path, files: list[Path]) -> pl.DataFrame:
    """One row per file (source_file relative to ``root``, sha256 or UNREADABLE_DIGEST), sorted by source_file."""
    with ThreadPoolExecutor(max_workers=HASH_THREADS) as pool:
        digests = list(pool.map(readable_digest, files))
    rows = [(path.relative_to(root).as_posix(), digest) for path, digest in zip(files, digests, strict=True)]
    return pl.DataFrame(rows, schema=INPUT_FILE_SCHEMA, orient="row").sort("source_file")


def fingerprint_of(inputs: pl.DataFrame, unread: list[str] | None = None) -> str:
    """``input_fingerprint`` of an input-file frame, without reading the files again, and of the entries left unread.

    ``unread`` (InputFolder.unread: hidden files, links) is hashed after the files only when there is
    any, so that a folder without such entries keeps the fingerprint it always had.
    """
    digest = hashlib.sha256()
    for source_file, sha256 in inputs.sort("source_file").iter_rows():
        digest.update(source_file.encode("utf-8"))
        digest.update(b"\0")
        digest.update(sha256.encode("ascii"))
        digest.update(b"\n")
    if unread:
        # An added link or hidden file makes a rerun report it instead of finding the year unchanged.
        digest.update(b"\0unread\n")
        for entry in unread:
            digest.update(entry.encode("utf-8", errors="surrogateescape") + b"\n")
    return digest.hexdigest()


@dataclass(frozen=True)
class InputFiles:
    """A year's input folder as hashed: one row per file (``files``: source_file, sha256) and the fingerprint over them."""

    files: pl.DataFrame
    fingerprint: str


def hash_inputs(folder: InputFolder) -> InputFiles:
    """Every file the walk of ``folder`` found hashed once: the per-file hashes and the folder's fingerprint (its unread entries too)."""
    frame = input_files(folder.root, list(folder.files))
    return InputFiles(files=frame, fingerprint=fingerprint_of(frame, folder.unread()))


def digests_by_file(inputs: InputFiles | None, root: Path) -> dict[Path, str]:
    """Each hashed file's path below ``root`` → its SHA-256 (empty without inputs)."""
    if inputs is None:
        return {}
    return {root / source_file: sha256 for source_file, sha256 in inputs.files.iter_rows()}
