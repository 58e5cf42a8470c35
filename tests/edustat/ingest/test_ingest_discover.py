from pathlib import Path

from edustat.ingest.discover import discover_files


def test_discover_finds_spreadsheets_recursively_sorted_and_skips_lock_and_hidden_files(tmp_path: Path):
    for name in ["b/2.xlsx", "a.csv", "b/1.XLS", "~$a.xlsx", ".hidden.xlsx", ".git/x.csv", "notes.txt", "c/d/e.xlsx"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in discover_files(tmp_path)]
    assert found == ["a.csv", "b/1.XLS", "b/2.xlsx", "c/d/e.xlsx"]


def test_discover_on_an_empty_folder_finds_nothing(tmp_path: Path):
    assert discover_files(tmp_path) == []


def test_skipped_spreadsheets_are_named_as_warnings(tmp_path: Path):
    from edustat.ingest.discover import skipped_file_issues, skipped_files

    for name in ["a.xlsx", ".hidden.csv", "~$a.xlsx", ".git/x.xlsx", "notes.txt", ".profile"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    # Only spreadsheet-named files count: .profile and notes.txt would never have been read.
    assert skipped_files(tmp_path) == [".git/x.xlsx", ".hidden.csv", "~$a.xlsx"]
    issues = skipped_file_issues(tmp_path)
    assert issues.select("source_file", "rule", "severity").rows() == [
        (".git/x.xlsx", "skipped_file", "warning"),
        (".hidden.csv", "skipped_file", "warning"),
        ("~$a.xlsx", "skipped_file", "warning"),
    ]
    assert "hidden file" in issues.item(0, "message_en")
