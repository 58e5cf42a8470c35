"""The input fingerprint: the files' bytes as before, plus what the walk leaves unread; a link is never hashed."""

from __future__ import annotations

import hashlib
from pathlib import Path

from edustat.fingerprint import UNREADABLE_DIGEST, engine_sources, hash_inputs, readable_digest
from edustat.ingest import code_version
from edustat.ingest.discover import scan_folder
from edustat.ingest.read import read_file
from schemas.rules import load_rules


def _by_hand(files: dict[str, bytes]) -> str:
    """The fingerprint as the contract of input_fingerprint states it: per file its path, NUL, its SHA-256, newline."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(f"{name}\0{hashlib.sha256(files[name]).hexdigest()}\n".encode())
    return digest.hexdigest()


def test_a_folder_without_links_or_hidden_files_keeps_its_fingerprint(tmp_path: Path) -> None:
    files = {"a.xlsx": b"one", "sub/b.csv": b"two"}
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    assert hash_inputs(scan_folder(tmp_path)).fingerprint == _by_hand(files)


def test_a_link_changes_the_fingerprint_but_is_not_hashed(tmp_path: Path) -> None:
    root, secret = tmp_path / "2020", tmp_path / "secret.csv"
    root.mkdir()
    (root / "a.xlsx").write_bytes(b"one")
    secret.write_bytes(b"not yours")
    before = hash_inputs(scan_folder(root))
    (root / "x.csv").symlink_to(secret)
    after = hash_inputs(scan_folder(root))
    assert after.fingerprint != before.fingerprint
    assert after.files.rows() == before.files.rows() == [("a.xlsx", hashlib.sha256(b"one").hexdigest())]


def test_a_link_swapped_in_after_the_walk_is_unreadable_not_followed(tmp_path: Path) -> None:
    root, secret = tmp_path / "2020", tmp_path / "secret.csv"
    root.mkdir()
    secret.write_text("行政区划代码\nSECRET\n", encoding="utf-8")
    (root / "x.csv").symlink_to(secret)
    assert readable_digest(root / "x.csv") == UNREADABLE_DIGEST
    sheets, issues = read_file(root / "x.csv", root, load_rules().limits)
    assert sheets == [] and issues["rule"].to_list() == ["unreadable_file"]
    assert "SECRET" not in " ".join(str(v) for v in issues.row(0))


def test_the_engine_digest_covers_the_subpackages_of_the_engine() -> None:
    # schemas/completeness/ and schemas/catalogue/ decide what a run stores: a change there must expire stored results.
    root = Path(__file__).resolve().parents[2]
    covered = {source.relative_to(root).as_posix() for source in engine_sources()}
    expected = {
        source.relative_to(root).as_posix()
        for package in ("edustat/ingest", "edustat/indicators", "schemas")
        for source in (root / package).rglob("*.py")
    }
    assert covered == expected
    assert {"schemas/completeness/status.py", "schemas/catalogue/checks_file.py"} <= covered


def test_the_parser_digest_changes_with_a_file_of_a_subpackage(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    package = tmp_path / "parsing"
    (package / "sub").mkdir(parents=True)
    (package / "top.py").write_text("A = 1\n")
    (package / "sub" / "deep.py").write_text("B = 1\n")
    monkeypatch.setattr(code_version, "_PARSING_PACKAGES", (package,))
    code_version.parser_digest.cache_clear()
    before = code_version.parser_digest()
    (package / "sub" / "deep.py").write_text("B = 2\n")
    code_version.parser_digest.cache_clear()
    after = code_version.parser_digest()
    code_version.parser_digest.cache_clear()
    assert before != after
