"""The condition of a check (contract §3 "Checks are data") read into a tree: pure Python, no Polars.

Grammar (``and`` binds tighter than ``or``; ``*`` and ``/`` tighter than ``+`` and ``-``)::

    condition  := conjunct ("or" conjunct)*
    conjunct   := comparison ("and" comparison)*
    comparison := expression OP expression          OP one of <= < >= > == !=
    expression := product (("+" | "-") product)*
    product    := factor (("*" | "/") factor)*
    factor     := NUMBER | COLUMN | TABLE.COLUMN | "(" expression ")" | "-" factor

A message placeholder is an ``expression`` of the same grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

OPERATORS: tuple[str, ...] = ("<=", "<", ">=", ">", "==", "!=")
"""Comparison operators of a condition, in the contract's order."""

ARITHMETIC = ("+", "-", "*", "/")


@dataclass(frozen=True)
class Number:
    """A number written in the condition."""

    value: int | float


@dataclass(frozen=True)
class Column:
    """A column of the check's own table (``table`` None) or of another table of the same school."""

    name: str
    table: str | None = None

    def text(self) -> str:
        """The column as the check writes it: ``classes`` or ``enrollment.classes``."""
        return self.name if self.table is None else f"{self.table}.{self.name}"


@dataclass(frozen=True)
class Arithmetic:
    """``left op right`` with op one of + - * /."""

    op: str
    left: Expression
    right: Expression


@dataclass(frozen=True)
class Comparison:
    """``left op right`` with op one of OPERATORS: holds or not, row by row."""

    op: str
    left: Expression
    right: Expression


@dataclass(frozen=True)
class Logical:
    """Comparisons (or nested logicals) joined by ``and`` or ``or``."""

    op: str
    parts: tuple[Comparison | Logical, ...]


Expression = Number | Column | Arithmetic
Condition = Comparison | Logical


class ConditionSyntaxError(ValueError):
    """A condition or placeholder that cannot be read; ``operator`` is set when the fault is an unknown operator."""

    def __init__(self, text: str, operator: str | None = None) -> None:
        super().__init__(text)
        self.text = text
        self.operator = operator


_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)"
    r"|(?P<compare>[<>=!]+)|(?P<symbol>[-+*/()]))"
)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        found = _TOKEN.match(text, position)
        if found is None or found.end() == position:
            raise ConditionSyntaxError(text)
        kind = found.lastgroup or ""
        value = found.group(kind)
        if kind == "compare" and value not in OPERATORS:
            raise ConditionSyntaxError(text, operator=value)
        if kind == "name" and value in ("and", "or"):
            kind = "logic"
        tokens.append((kind, value))
        position = found.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.at = 0

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        if token is None:
            raise ConditionSyntaxError(self.text)
        self.at += 1
        return token

    def _is(self, kind: str, *values: str) -> bool:
        token = self._peek()
        return token is not None and token[0] == kind and (not values or token[1] in values)

    def done(self) -> None:
        if self._peek() is not None:
            raise ConditionSyntaxError(self.text)

    def condition(self) -> Condition:
        parts = [self.conjunct()]
        while self._is("logic", "or"):
            self._take()
            parts.append(self.conjunct())
        return parts[0] if len(parts) == 1 else Logical("or", tuple(parts))

    def conjunct(self) -> Condition:
        parts: list[Condition] = [self.comparison()]
        while self._is("logic", "and"):
            self._take()
            parts.append(self.comparison())
        return parts[0] if len(parts) == 1 else Logical("and", tuple(parts))

    def comparison(self) -> Comparison:
        left = self.expression()
        if not self._is("compare"):
            raise ConditionSyntaxError(self.text)
        op = self._take()[1]
        return Comparison(op, left, self.expression())

    def expression(self) -> Expression:
        result = self.product()
        while self._is("symbol", "+", "-"):
            op = self._take()[1]
            result = Arithmetic(op, result, self.product())
        return result

    def product(self) -> Expression:
        result = self.factor()
        while self._is("symbol", "*", "/"):
            op = self._take()[1]
            result = Arithmetic(op, result, self.factor())
        return result

    def factor(self) -> Expression:
        kind, value = self._take()
        if kind == "number":
            # A whole number stays whole, so that counts computed with it are shown as counts (11, not 11.0).
            return Number(float(value) if any(c in value for c in ".eE") else int(value))
        if kind == "name":
            table, _, name = value.rpartition(".")
            return Column(name, table or None)
        if (kind, value) == ("symbol", "-"):
            return Arithmetic("-", Number(0.0), self.factor())
        if (kind, value) == ("symbol", "("):
            inner = self.expression()
            if self._take() != ("symbol", ")"):
                raise ConditionSyntaxError(self.text)
            return inner
        raise ConditionSyntaxError(self.text)


@lru_cache(maxsize=1024)
def parse_condition(text: str) -> Condition:
    """The tree of a check's condition; ConditionSyntaxError when it is not of the grammar."""
    parser = _Parser(text)
    result = parser.condition()
    parser.done()
    return result


@lru_cache(maxsize=1024)
def parse_expression(text: str) -> Expression:
    """The tree of a message placeholder (an expression without comparison); ConditionSyntaxError when it is not one."""
    parser = _Parser(text)
    result = parser.expression()
    parser.done()
    return result


def columns_of(node: Condition | Expression) -> tuple[Column, ...]:
    """Every column a tree reads, in the order written, each once."""
    if isinstance(node, Column):
        return (node,)
    if isinstance(node, Number):
        return ()
    if isinstance(node, Logical):
        found = [column for part in node.parts for column in columns_of(part)]
    else:
        found = [*columns_of(node.left), *columns_of(node.right)]
    return tuple(dict.fromkeys(found))
