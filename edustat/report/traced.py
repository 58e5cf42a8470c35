"""Text whose figures know where they come from: each number of a sentence or table cell carries its sources
(indicator code, region, year, run), so that a renderer can attach them (a Word comment) and the others ignore them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["value", "previous", "change", "target", "gap", "count", "low", "high"]
"""What a figure is of its sources: the stored value itself, last year's, a difference of two values, a target of
config/rules.toml, a gap below a target, a count of regions with a flag, the lowest or highest of the compared regions."""


@dataclass(frozen=True)
class Source:
    """One number behind a figure: a stored value (indicator, region, year, the run that published it) or a target of
    config/rules.toml (region_code is then the target's scope, run_id None)."""

    code: str
    region_code: str
    year: int
    run_id: int | None
    value: float | None
    is_target: bool = False


@dataclass(frozen=True)
class Figure:
    """A figure in a text: the characters ``start:end`` and what they are (``role``) of which ``sources``."""

    start: int
    end: int
    role: Role
    sources: tuple[Source, ...]


class Traced(str):
    """A string (equal to and usable as the plain text) with the figures in it: ``figures`` in text order."""

    figures: tuple[Figure, ...]

    def __new__(cls, text: str = "", figures: tuple[Figure, ...] = ()) -> Traced:
        made = super().__new__(cls, text)
        made.figures = tuple(figures)
        return made

    def pieces(self) -> list[tuple[str, Figure | None]]:
        """The text cut at its figures: (plain text, None) and (figure text, figure), in order, none empty."""
        parts: list[tuple[str, Figure | None]] = []
        position = 0
        for figure in self.figures:
            if figure.start > position:
                parts.append((self[position : figure.start], None))
            parts.append((self[figure.start : figure.end], figure))
            position = figure.end
        if position < len(self):
            parts.append((self[position:], None))
        return parts


class TracedBuilder:
    """Builds a Traced from plain pieces and figure pieces, in order."""

    def __init__(self) -> None:
        self._text: list[str] = []
        self._length = 0
        self._figures: list[Figure] = []

    def text(self, text: str) -> TracedBuilder:
        """Append plain text, or a Traced (its figures kept, shifted to where it lands)."""
        for figure in getattr(text, "figures", ()):
            self._figures.append(Figure(figure.start + self._length, figure.end + self._length, figure.role, figure.sources))
        self._text.append(str(text))
        self._length += len(text)
        return self

    def figure(self, text: str, role: Role, *sources: Source) -> TracedBuilder:
        """Append ``text`` as one figure of ``sources`` (plain text when there is no source)."""
        if sources and text:
            self._figures.append(Figure(self._length, self._length + len(text), role, sources))
        self._text.append(text)
        self._length += len(text)
        return self

    def build(self) -> Traced:
        """The text built so far."""
        return Traced("".join(self._text), tuple(self._figures))


def traced_join(separator: str, parts: list[str] | tuple[str, ...]) -> Traced:
    """``separator.join(parts)`` keeping the figures of the parts."""
    builder = TracedBuilder()
    for index, part in enumerate(parts):
        if index:
            builder.text(separator)
        builder.text(part)
    return builder.build()


def capitalised(text: str) -> Traced:
    """``text`` with its first letter upper case (an English sentence), figures kept."""
    if not text:
        return Traced(text, getattr(text, "figures", ()))
    return Traced(text[0].upper() + text[1:], getattr(text, "figures", ()))
