import os
from pathlib import Path

import pytest

from edustat.ingest.discover import discover_files, folder_issues, is_inside, open_input, scan_folder


def _touch(root: Path, *names: str) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x")


def test_discover_finds_spreadsheets_recursively_sorted_and_skips_lock_and_hidden_files(tmp_path: Path):
    _touch(tmp_path, "b/2.xlsx", "a.csv", "b/1.XLS", "~$a.xlsx", ".hidden.xlsx", ".git/x.csv", "notes.txt", "c/d/e.xlsx")
    found = [p.relative_to(tmp_path).as_posix() for p in discover_files(tmp_path)]
    assert found == ["a.csv", "b/1.XLS", "b/2.xlsx", "c/d/e.xlsx"]


def test_discover_on_an_empty_or_missing_folder_finds_nothing(tmp_path: Path):
    assert discover_files(tmp_path) == []
    assert discover_files(tmp_path / "missing") == []


def test_skipped_spreadsheets_are_named_as_warnings(tmp_path: Path):
    _touch(tmp_path, "a.xlsx", ".hidden.csv", "~$a.xlsx", ".git/x.xlsx", "notes.txt", ".profile")
    folder = scan_folder(tmp_path)
    # Only spreadsheet-named files count: .profile and notes.txt would never have been read.
    assert folder.skipped == (".git/x.xlsx", ".hidden.csv", "~$a.xlsx")
    issues = folder_issues(folder)
    assert issues.select("source_file", "rule", "severity").rows() == [
        (".git/x.xlsx", "skipped_file", "warning"),
        (".hidden.csv", "skipped_file", "warning"),
        ("~$a.xlsx", "skipped_file", "warning"),
    ]
    assert "hidden file" in issues.item(0, "message_en")


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, Path]:
    """An input folder with links of every kind, and a folder outside it that they point into."""
    root, outside = tmp_path / "2020", tmp_path / "elsewhere"
    _touch(root, "a.xlsx", "sub/b.csv", ".hidden/c.csv")
    _touch(outside, "secret.csv", "deep/d.csv")
    (root / "x.csv").symlink_to(outside / "secret.csv")  # a file outside
    (root / "sub" / "up.csv").symlink_to("../../elsewhere/secret.csv")  # the same, by a relative target
    (root / "more").symlink_to(outside, target_is_directory=True)  # a folder outside
    (root / "copy.xlsx").symlink_to(root / "a.xlsx")  # a file inside, read under its own name
    (root / "peek.csv").symlink_to(".hidden/c.csv")  # a file inside that is not read at all
    (root / "again").symlink_to(root / "sub", target_is_directory=True)  # a folder inside
    (root / "dangling.csv").symlink_to(outside / "gone.csv")  # a link to nothing, outside
    (root / "notes.txt").symlink_to(outside / "secret.csv")  # not a spreadsheet name: never read, not named
    return root, outside


def test_links_are_never_followed_and_each_is_named_for_where_it_leads(linked: tuple[Path, Path]):
    root, _ = linked
    folder = scan_folder(root)
    assert [p.relative_to(root).as_posix() for p in folder.files] == ["a.xlsx", "sub/b.csv"]
    assert folder.outside_links == ("dangling.csv", "more", "sub/up.csv", "x.csv")
    assert folder.inside_links == (("again", "sub"), ("copy.xlsx", "a.xlsx"), ("peek.csv", ".hidden/c.csv"))
    assert folder.skipped == (".hidden/c.csv",)


def test_a_link_outside_is_an_error_and_one_inside_a_warning_naming_its_target(linked: tuple[Path, Path]):
    root, _ = linked
    issues = folder_issues(scan_folder(root))
    rows = issues.select("source_file", "rule", "severity").rows()
    assert ("x.csv", "link_outside_folder", "error") in rows and ("more", "link_outside_folder", "error") in rows
    assert ("copy.xlsx", "link_in_folder", "warning") in rows
    inside = issues.filter(issues["source_file"] == "copy.xlsx")
    assert "'a.xlsx'" in inside.item(0, "message_en") and "“a.xlsx”" in inside.item(0, "message_zh")
    outside = issues.filter(issues["source_file"] == "x.csv")
    assert "outside the input folder" in outside.item(0, "message_en") and "输入文件夹之外" in outside.item(0, "message_zh")
    assert outside.item(0, "value") is None  # the target's place is not written anywhere


def test_the_walk_of_a_folder_named_through_a_link_finds_its_files(linked: tuple[Path, Path], tmp_path: Path):
    root, _ = linked
    alias = tmp_path / "alias"
    alias.symlink_to(root, target_is_directory=True)  # the folder the user names may itself be a link
    folder = scan_folder(alias)
    assert [p.relative_to(alias).as_posix() for p in folder.files] == ["a.xlsx", "sub/b.csv"]
    assert folder.inside_links[1] == ("copy.xlsx", "a.xlsx")


def test_is_inside_refuses_links_and_paths_that_leave_the_folder(linked: tuple[Path, Path]):
    root, outside = linked
    assert is_inside(root / "a.xlsx", root)
    assert not is_inside(root / "x.csv", root)
    assert not is_inside(root / "copy.xlsx", root)  # a link, even one that stays inside
    assert not is_inside(root / ".." / "elsewhere" / "secret.csv", root)
    assert not is_inside(root / "more" / "deep" / "d.csv", root)  # a regular file reached through a folder link
    assert is_inside(outside / "secret.csv", outside)


def test_open_input_reads_a_file_and_refuses_a_link_in_its_place(linked: tuple[Path, Path]):
    root, _ = linked
    with open_input(root / "a.xlsx") as handle:
        assert handle.read() == b"x"
    with pytest.raises(OSError):
        open_input(root / "x.csv")
    assert os.path.exists(root / "x.csv")  # the link itself is fine: it is only not followed
