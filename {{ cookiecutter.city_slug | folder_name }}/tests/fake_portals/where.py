"""Filters as the fake portals understand them: the part of SoQL / ArcGIS SQL / PostgreSQL the clients send.

  a = 'x'   a >= 3   a IS NULL   a IS NOT NULL   a IN ('x', 'y')   x AND y   x OR y   NOT x   ( x )   1=1
  TIMESTAMP '2017-01-01 00:00:00' (ArcGIS: compared with epoch milliseconds)
Anything else raises ValueError, which a fake turns into the platform's "could not parse" error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

Row = dict[str, Any]
TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>-?\d+(?:\.\d+)?)|(?P<op>>=|<=|<>|!=|=|>|<|\(|\)|,)"
    r"|(?P<quoted>`[^`]+`|\"[^\"]+\")|(?P<word>[A-Za-z_:@][\w:@.]*))"
)


class Literal:
    def __init__(self, value: Any, timestamp: bool = False) -> None:
        self.value, self.timestamp = value, timestamp


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ValueError(f"cannot parse near {text[pos : pos + 20]!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


def parse(text: str) -> Callable[[Row], bool]:
    """A test of a row; an empty filter keeps every row."""
    if not text or not text.strip():
        return lambda _row: True
    parser = _Parser(_tokens(text))
    test = parser.expression()
    if parser.pos != len(parser.tokens):
        raise ValueError(f"unexpected {parser.tokens[parser.pos][1]!r}")
    return test


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens, self.pos = tokens, 0

    def peek(self, word: str | None = None) -> bool:
        if self.pos >= len(self.tokens):
            return False
        return word is None or self.tokens[self.pos][1].upper() == word

    def take(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise ValueError("the filter ends too soon")
        self.pos += 1
        return self.tokens[self.pos - 1]

    def expect(self, word: str) -> None:
        if self.take()[1].upper() != word:
            raise ValueError(f"expected {word}")

    def expression(self) -> Callable[[Row], bool]:
        parts = [self.conjunction()]
        while self.peek("OR"):
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else lambda row: any(p(row) for p in parts)

    def conjunction(self) -> Callable[[Row], bool]:
        parts = [self.negation()]
        while self.peek("AND"):
            self.take()
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else lambda row: all(p(row) for p in parts)

    def negation(self) -> Callable[[Row], bool]:
        if self.peek("NOT"):
            self.take()
            inner = self.negation()
            return lambda row: not inner(row)
        if self.peek("("):
            self.take()
            inner = self.expression()
            self.expect(")")
            return inner
        return self.comparison()

    def operand(self) -> Callable[[Row], Any]:
        kind, text = self.take()
        if kind == "string":
            value = Literal(text[1:-1].replace("''", "'"))
            return lambda _row: value
        if kind == "number":
            number = Literal(float(text) if "." in text else int(text))
            return lambda _row: number
        if kind == "quoted":
            name = text[1:-1]
            return lambda row: row.get(name)
        if (
            kind == "word"
            and text.upper() in ("TIMESTAMP", "DATE")
            and self.peek()
            and self.tokens[self.pos][0] == "string"
        ):
            raw = self.take()[1][1:-1]
            when = dt.datetime.fromisoformat(raw).replace(tzinfo=dt.UTC)
            stamp = Literal(int(when.timestamp() * 1000), timestamp=True)
            return lambda _row: stamp
        if kind == "word" and text.upper() not in ("AND", "OR", "NOT", "IS", "IN", "NULL"):
            return lambda row: row.get(text)
        raise ValueError(f"unexpected {text!r}")

    def comparison(self) -> Callable[[Row], bool]:
        left = self.operand()
        if self.peek("IS"):
            self.take()
            negate = self.peek("NOT")
            if negate:
                self.take()
            self.expect("NULL")
            return lambda row: (_plain(left(row)) in (None, "")) != negate
        if self.peek("IN") or self.peek("NOT"):
            negate = self.peek("NOT")
            if negate:
                self.take()
            self.expect("IN")
            self.expect("(")
            values = [self.operand()]
            while self.peek(","):
                self.take()
                values.append(self.operand())
            self.expect(")")
            wanted = {str(_plain(v({}))) for v in values}
            return lambda row: (str(_plain(left(row))) in wanted) != negate
        kind, op = self.take()
        if kind != "op" or op in ("(", ")", ","):
            raise ValueError(f"expected a comparison, found {op!r}")
        right = self.operand()
        return lambda row: _compare(left(row), op, right(row))


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Literal) else value


def _compare(left: Any, op: str, right: Any) -> bool:
    numeric = any(isinstance(v, Literal) and not isinstance(v.value, str) for v in (left, right))
    a, b = _plain(left), _plain(right)
    if a is None or b is None or a == "" or b == "":
        return False
    if numeric:
        try:
            a, b = float(a), float(b)
        except (TypeError, ValueError):
            return False
    else:
        a, b = str(a), str(b)
    return {
        "=": a == b,
        "!=": a != b,
        "<>": a != b,
        ">": a > b,
        ">=": a >= b,
        "<": a < b,
        "<=": a <= b,
    }[op]
