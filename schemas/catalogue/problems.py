"""One problem of one entry of the catalogue or the checks file, and its line of the refusal.

Each problem is (key, rule, fields): the key as the file writes it (``numerator.where[0]``), a message rule of
``schemas.messages`` and the fields its templates name. The builder adds the file and the entry's code.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from schemas.messages import MESSAGES, render

Problem = tuple[str, str, dict[str, object]]
"""(key, message rule, message fields) of one problem of one entry."""


def choices(values: object) -> str:
    """The values a key may take, as a message lists them."""
    return ", ".join(str(v) for v in values)


def error_key(location: tuple[int | str, ...]) -> str:
    """A pydantic error location as the catalogue writes the key: ``numerator.where[0]``."""
    key = ""
    for part in location:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key or "(entry)"


def validation_problems(error: ValidationError) -> list[Problem]:
    """Pydantic's errors as problems: a rule of its own where the model raised one (an unknown operator), else its words."""
    return [
        (error_key(e["loc"]), e["type"], dict(e.get("ctx") or {}))
        if e["type"] in MESSAGES
        else (error_key(e["loc"]), "catalogue_invalid", {"detail": e["msg"]})
        for e in error.errors()
    ]


def refusal_line(refused: str, path: Path, code: str, problem: Problem) -> tuple[str, str]:
    """(Chinese, English) line of the refusal ``refused`` (a message rule) naming the file, the entry's code and the key."""
    key, rule, fields = problem
    problem_zh, problem_en = render(rule, **fields)
    return render(refused, file=path, code=code, key=key, problem_zh=problem_zh, problem_en=problem_en)
