"""Every relative link of README.md and docs/ resolves to a file of the repository (and a heading of it); none leaves it.

The checker itself is tried first on a tiny folder written here, so that a test which passes on the repository is
known to be able to fail.
"""

from __future__ import annotations

from pathlib import Path

from tests.docs.markdown_links import anchors, link_problems, markdown_files, slug

REPO = Path(__file__).resolve().parents[2]


def _folder(tmp_path: Path, pages: dict[str, str]) -> list[Path]:
    for name, text in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return [tmp_path / name for name in pages]


def test_slugs_are_githubs() -> None:
    # Worked out by GitHub's rule: lower case, punctuation other than - and _ dropped, each space a hyphen.
    assert slug("Ceilings (`config/rules.toml [ceilings]`)") == "ceilings-configrulestoml-ceilings"
    assert slug("The clerk's round trip") == "the-clerks-round-trip"
    assert slug("Completeness: what is missing is not zero") == "completeness-what-is-missing-is-not-zero"
    assert slug("`edustat run`") == "edustat-run"
    assert slug("学前教育 A–B") == "学前教育-ab"
    assert anchors("# Top\n## Notes\n## Notes\n```\n# not a heading\n```\n") == {"top", "notes", "notes-1"}


def test_good_links_pass(tmp_path: Path) -> None:
    files = _folder(tmp_path, {
        "README.md": "See [the guide](docs/guide.md#step-two), [here](#readme) and ![a picture](docs/p.png).\n\n# README\n",
        "docs/guide.md": "# Guide\n\n## Step two\n\nBack to [the top](../README.md).\n",
        "docs/p.png": "",
    })
    assert link_problems(tmp_path, files) == []


def test_a_broken_link_is_reported(tmp_path: Path) -> None:
    files = _folder(tmp_path, {"README.md": "[missing](docs/nowhere.md) and [no heading](docs/guide.md#step-three)\n", "docs/guide.md": "# Guide\n## Step two\n"})
    assert link_problems(tmp_path, files) == [
        "README.md: docs/nowhere.md: no such file",
        "README.md: docs/guide.md#step-three: no heading #step-three in docs/guide.md",
    ]


def test_links_that_leave_the_repository_are_reported(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (tmp_path / "outside.md").write_text("# Outside\n", encoding="utf-8")
    files = _folder(root, {"docs/a.md": "[web](https://example.org/x), [up](../../outside.md), <http://example.org>, and http://example.org/bare\n"})
    assert link_problems(root, files) == [
        "docs/a.md: http://example.org: an external link (no link leaves the repository)",
        "docs/a.md: http://example.org/bare: an external link (no link leaves the repository)",
        "docs/a.md: https://example.org/x: an external link (no link leaves the repository)",
        "docs/a.md: ../../outside.md: leaves the repository",
    ]


def test_code_is_not_checked(tmp_path: Path) -> None:
    files = _folder(tmp_path, {"README.md": "```\n[a](nowhere.md) http://x.org\n```\n\n    [b](nowhere.md)\n\nand `[c](nowhere.md)`\n"})
    assert link_problems(tmp_path, files) == []


def test_every_link_of_the_documentation_resolves_and_stays_in_the_repository() -> None:
    files = markdown_files(REPO)
    assert len(files) > 10
    assert link_problems(REPO, files) == []
