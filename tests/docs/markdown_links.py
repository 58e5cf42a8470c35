"""The links of Markdown files, checked: each relative link names a file of the repository (and a heading of it), none leaves it.

Grain: one problem per link, as a line `FILE: TARGET: what is wrong`. Links inside code (fenced blocks, indented
blocks, `code spans`) are text, not links, and are not checked. Anchors are checked the way GitHub makes them from a
page's headings (lower case, punctuation dropped, spaces as hyphens, a repeated heading numbered -1, -2, …).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")
BARE_URL = re.compile(r"\b(?:https?|ftp)://[^\s)>\]]+")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"(`+).*?\1")


def prose_lines(text: str, keep_code_spans: bool = False) -> list[str]:
    """The lines of ``text`` outside code blocks (fenced, or indented by four spaces after a blank line), code spans
    blanked unless ``keep_code_spans`` (a heading's anchor is made from its code's text too)."""
    lines: list[str] = []
    fenced = indented = False
    previous_blank = True
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            lines.append("")
            continue
        if fenced:
            lines.append("")
            continue
        blank = not line.strip()
        indented = line.startswith("    ") and (previous_blank or indented) and not blank
        lines.append("" if indented else line if keep_code_spans else CODE_SPAN.sub("", line))
        previous_blank = blank
    return lines


def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it: `Ceilings (`x.toml [y]`)` → `ceilings-xtoml-y`."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading anchors by its text
    text = re.sub(r"[^\w\- ]", "", text.replace("`", "").strip().lower())
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every heading anchor of a Markdown page, repeated headings numbered as GitHub numbers them."""
    seen: Counter[str] = Counter()
    found: set[str] = set()
    for line in prose_lines(text, keep_code_spans=True):
        match = HEADING.match(line)
        if match is None:
            continue
        base = slug(match.group(2))
        found.add(base if seen[base] == 0 else f"{base}-{seen[base]}")
        seen[base] += 1
    return found


def link_problems(root: Path, files: list[Path]) -> list[str]:
    """Every problem of the links of ``files`` (Markdown files below ``root``): broken, to a missing heading, or leaving ``root``."""
    root = root.resolve()
    problems: list[str] = []
    page_anchors: dict[Path, set[str]] = {}

    def anchors_of(page: Path) -> set[str]:
        if page not in page_anchors:
            page_anchors[page] = anchors(page.read_text(encoding="utf-8"))
        return page_anchors[page]

    for file in files:
        name = file.resolve().relative_to(root).as_posix()
        for line in prose_lines(file.read_text(encoding="utf-8")):
            targets = LINK.findall(line)
            rest = LINK.sub("", line)
            problems += [f"{name}: {url}: an external link (no link leaves the repository)" for url in AUTOLINK.findall(rest)]
            problems += [f"{name}: {url}: an external link (no link leaves the repository)" for url in BARE_URL.findall(AUTOLINK.sub("", rest))]
            for target in targets:
                problems += _target_problems(root, file.resolve(), name, target, anchors_of)
    return problems


def _target_problems(root: Path, file: Path, name: str, target: str, anchors_of) -> list[str]:  # type: ignore[no-untyped-def]
    if not target or SCHEME.match(target) or target.startswith("//"):
        return [f"{name}: {target}: an external link (no link leaves the repository)"] if target else [f"{name}: empty link"]
    path_part, _, anchor = target.partition("#")
    if path_part.startswith("/"):
        return [f"{name}: {target}: an absolute path (write it relative to this file)"]
    page = (file.parent / path_part).resolve() if path_part else file
    if not page.is_relative_to(root):
        return [f"{name}: {target}: leaves the repository"]
    if not page.exists():
        return [f"{name}: {target}: no such file"]
    if anchor and page.suffix == ".md" and anchor not in anchors_of(page):
        return [f"{name}: {target}: no heading #{anchor} in {page.relative_to(root).as_posix()}"]
    return []


def markdown_files(root: Path) -> list[Path]:
    """README.md and every Markdown file below docs/, in a stable order."""
    return [root / "README.md", *sorted((root / "docs").rglob("*.md"))]
