"""What a configuration file may hold: the limits the warehouse, its views and the terminal impose later, checked when the file is read.

Declared once here and used by every configuration reader (config.read_toml for any file, the
catalogue checker for indicator codes, the region model for region names), so that a file the
warehouse would choke on is refused at once with exit 2, naming the file, the entry and the key,
before any input of a run is read.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

MAX_CONFIG_BYTES = 4 * 1024 * 1024
"""A configuration file larger than this is refused unread: the catalogue of contract §4 is ~40 KB, a national region file ~250 KB."""

MAX_NESTING = 16
"""Tables and arrays nested deeper than this are refused (the deepest real key, a catalogue term's condition, is 5 levels down);
a parser or a model walking a file nested thousands deep would run out of stack."""

MAX_CODE_BYTES = 63
"""An indicator code is a column of the view indicator_wide: PostgreSQL truncates longer identifiers, which would merge or rename indicator columns."""

CODE_PATTERN = r"^[a-z0-9_]+$"
"""An indicator code: lower-case letters, digits and underscores (a column name that needs no quoting)."""

MAX_NAME_CHARS = 200
"""A name (of an indicator, a region, a unit, a measure) is one line of a table, a chart label, a report heading."""

MAX_TEXT_CHARS = 10_000
"""Any other text of a configuration file (a definition, a report sentence)."""

WIDE_KEY_COLUMNS = ("year", "region_code", "region_level", "region_name_zh", "region_name_en", "is_partial")
"""The leading columns of the view indicator_wide; no indicator code may take one of these names."""

NAME_KEYS = frozenset({"code", "name", "name_zh", "name_en", "zh", "en", "unit_zh", "unit_en", "label", "label_zh", "label_en"})
"""Keys whose text is a name or code: one line, at most MAX_NAME_CHARS."""

_LINE_BREAKS = frozenset("\n\r\t")
"""Control characters a long text may hold (a multi-line definition); never a name."""

Problem = tuple[str, str, str, str]
"""(entry, key, problem in Chinese, problem in English)."""


def is_control_character(ch: str) -> bool:
    """Whether ``ch`` can break a line, forge one or drive a terminal: control and format characters (ESC, NUL, bidi
    overrides) and line/paragraph separators; the zero-width joiner of emoji sequences is text."""
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch != "\u200d"


def shown(text: object, limit: int = 40) -> str:
    """``text`` as a message quotes it: control characters escaped, and cut after ``limit`` characters with its length."""
    text = str(text)
    escaped = "".join(
        (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}") if is_control_character(ch) else ch for ch in text[:limit]
    )
    return escaped if len(text) <= limit else f"{escaped}…({len(text)} characters / 共 {len(text)} 个字符)"


def text_problem(text: str, *, is_name: bool) -> tuple[str, str] | None:
    """Why ``text`` cannot be stored and shown (zh, en), or None: a NUL, a control character, or too long."""
    for ch in text:
        if ch == "\0":
            return "含有 NUL 字符（数据库无法保存）", "holds a NUL character (the database cannot store it)"
        if is_control_character(ch) and (is_name or ch not in _LINE_BREAKS):
            name = unicodedata.name(ch, "control character")
            return f"含有控制字符 U+{ord(ch):04X}（{name}）", f"holds the control character U+{ord(ch):04X} ({name})"
    limit = MAX_NAME_CHARS if is_name else MAX_TEXT_CHARS
    if len(text) > limit:
        return f"长 {len(text)} 个字符，超过上限 {limit}", f"is {len(text)} characters long, more than the limit of {limit}"
    return None


def code_length_problem(code: str) -> tuple[str, str] | None:
    """Why ``code`` is too long to be a code (every code of a configuration file may name a column of a view), or None."""
    if len(code.encode("utf-8")) > MAX_CODE_BYTES:
        return (
            f"代码长 {len(code.encode('utf-8'))} 字节，超过上限 {MAX_CODE_BYTES}（indicator_wide 视图的列名）",
            f"the code is {len(code.encode('utf-8'))} bytes long, more than the limit of {MAX_CODE_BYTES} (a column name of the view indicator_wide)",
        )
    return None


def code_problem(code: str) -> tuple[str, str] | None:
    """Why ``code`` cannot be an indicator code (a column of indicator_wide), or None."""
    if (found := code_length_problem(code)) is not None:
        return found
    if code in WIDE_KEY_COLUMNS:
        return f"代码与 indicator_wide 视图的列 {code} 重名", f"the code is the name of a key column of the view indicator_wide ({code})"
    return None


def _entry_name(path: tuple[str | int, ...], node: Any) -> str:
    """How a message names the entry at ``path``: ``indicator[3]``, with its code when it has one."""
    entry = "".join(f"[{part}]" if isinstance(part, int) else (f".{part}" if i else str(part)) for i, part in enumerate(path)) or "(top)"
    code = node.get("code") if isinstance(node, dict) else None
    return f"{entry} ({shown(code)})" if isinstance(code, str) else entry


def data_problems(data: dict[str, Any]) -> list[Problem]:
    """Every problem of a parsed configuration file that no model checks: nesting, NUL and control characters, text length.

    Walked without recursion (a file nested thousands deep is what this refuses). Each problem names
    the entry (the top-level table or array item, with its code) and the key below it.
    """
    problems: list[Problem] = []
    for path, entry_node, key, value in _walk(data):
        entry = _entry_name(path[:2] if len(path) > 1 and isinstance(path[1], int) else path[:1], entry_node)
        if len(path) == 1 and not isinstance(value, (dict, list)):
            entry, key = "(top level / 顶层)", str(path[0])
        if isinstance(value, str):
            found = text_problem(value, is_name=str(path[-1]) in NAME_KEYS)
            if path[-1] == "code":
                # A code's limit is its own (bytes of a column name), and its control characters are a name's.
                found = code_length_problem(value) or text_problem(value[:MAX_NAME_CHARS], is_name=True)
            if found:
                problems.append((entry, key, *found))
        elif len(path) > MAX_NESTING:
            problems.append((entry, key, f"嵌套超过 {MAX_NESTING} 层", f"is nested more than {MAX_NESTING} levels deep"))
        if isinstance(path[-1], str) if path else False:
            found = text_problem(str(path[-1]), is_name=True)
            if found:
                problems.append((entry, shown(key), f"键名{found[0]}", f"the key's name {found[1]}"))
    return problems


def _walk(data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], Any, str, Any]]:
    """Every value below ``data`` as (path, its entry's node, the key below the entry, value); a container nested too deep ends its branch."""
    stack: list[tuple[tuple[str | int, ...], Any, Any]] = [((), data, data)]
    while stack:
        path, entry_node, node = stack.pop()
        if path:
            depth_of_entry = 2 if len(path) > 1 and isinstance(path[1], int) else 1
            key = "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(path[depth_of_entry:])) or "(entry)"
            yield path, entry_node, key, node
            if len(path) > MAX_NESTING:
                continue
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for name, child in reversed(list(children)):
            child_path = (*path, name)
            is_entry = len(child_path) == 1 or (len(child_path) == 2 and isinstance(name, int))
            stack.append((child_path, child if is_entry else entry_node, child))


def deep_nesting_at(text: str) -> tuple[int, str] | None:
    """Where ``text`` (TOML) first nests arrays or inline tables deeper than MAX_NESTING: (line number, the key being assigned), or None.

    A rough scan (quoted strings skipped, escapes honoured) for the message of a file too deep to parse.
    """
    depth, line, key, quote = 0, 1, "", ""
    start_of_line = True
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        elif ch in "[{" and not (start_of_line and depth == 0 and ch == "["):
            depth += 1
            if depth > MAX_NESTING:
                return line, key
        elif ch in "]}" and depth:
            depth -= 1
        elif ch == "=" and depth == 0:
            key = text[text.rfind("\n", 0, i) + 1 : i].strip()
        if ch == "\n":
            line += 1
            start_of_line = True
        elif not ch.isspace():
            start_of_line = False
        i += 1
    return None
