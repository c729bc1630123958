"""Finds the line of a TOML key path in the source text, for problem messages.

`tomllib` keeps no positions, so this is a small line scanner that follows table headers
(`[a]`, `[[a.b]]`, counting array-of-tables elements) and `key = value` lines. It only has to
be right for files that parse; when it cannot place a key, a problem is shown at the nearest
enclosing key or table instead, which is still the place to look.
"""

import re
from dataclasses import dataclass

_HEADER = re.compile(r"^\[\[?\s*(?P<name>[^\[\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_KEY = re.compile(rf"^(?P<key>{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=(?P<value>.*)$")
_ANCESTOR = re.compile(r"(\.[^.\[\]]+|\[\d+\])$")


def _segments(dotted: str) -> list[str]:
    """`a."b.c".d` -> `["a", "b.c", "d"]`: dots inside quotes do not split."""
    parts, current, quote = [], "", None
    for char in dotted:
        if quote:
            if char == quote:
                quote = None
            else:
                current += char
        elif char in "\"'":
            quote = char
        elif char == ".":
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return parts


@dataclass
class KeyLines:
    """Line numbers (from 1) of the key paths found in one TOML text."""

    lines: dict[str, int]

    @classmethod
    def scan(cls, text: str) -> "KeyLines":
        found: dict[str, int] = {}
        counts: dict[str, int] = {}
        table = ""
        closing: str | None = None
        depth = 0
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if closing is not None:
                if closing in line:
                    closing = None
                continue
            if depth > 0:
                depth += _bracket_balance(line)
                continue
            if not line or line.startswith("#"):
                continue
            header = _HEADER.match(line)
            if header:
                path = _resolve(_segments(header["name"]), counts)
                if line.startswith("[["):
                    index = counts.get(path, -1) + 1
                    counts[path] = index
                    path = f"{path}[{index}]"
                table = path
                found.setdefault(table, number)
                continue
            key = _KEY.match(line)
            if not key:
                continue
            path = table
            for segment in _segments(key["key"]):
                path = f"{path}.{segment}" if path else segment
                found.setdefault(path, number)
            value = key["value"].strip()
            for quotes in ('"""', "'''"):
                if value.startswith(quotes) and value.count(quotes) == 1:
                    closing = quotes
            if value.startswith("["):
                depth = _bracket_balance(value)
        return cls(found)

    def line_of(self, path: str) -> int | None:
        """The line of `path`, else of its nearest ancestor found in the text, else None."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = _ANCESTOR.sub("", path) if _ANCESTOR.search(path) else ""
        return None


def _resolve(segments: list[str], counts: dict[str, int]) -> str:
    """A header's dotted name as a path: a segment naming an array of tables means its last
    element so far (`[[districts.lists]]` inside the third district is `districts[2].lists`)."""
    path = ""
    for position, segment in enumerate(segments):
        path = f"{path}.{segment}" if path else segment
        if path in counts and position < len(segments) - 1:
            path = f"{path}[{counts[path]}]"
    return path


def _bracket_balance(text: str) -> int:
    """Opened minus closed square brackets outside strings and comments."""
    balance = 0
    quote: str | None = None
    for char in text:
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char == "[":
            balance += 1
        elif char == "]":
            balance -= 1
    return balance
