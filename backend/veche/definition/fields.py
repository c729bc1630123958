"""Typed readers for the values of a parsed TOML document, collecting every problem they meet.

Each reader returns the value, or None after recording why it is unusable, so that one pass over
a file reports all of its problems, each at its own key path.
"""

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from fractions import Fraction
from typing import Any, TypeVar

E = TypeVar("E", bound=StrEnum)

_DECIMAL = re.compile(r"^\d+(\.\d+)?$")


def join(path: str, key: str | int) -> str:
    """`join("districts", 2)` -> `districts[2]`; `join("districts[2]", "seats")` -> `...seats`."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def describe(value: object) -> str:
    """A value and its TOML type, for messages: `'five' (string)`."""
    kinds = {
        bool: "boolean",
        int: "integer",
        float: "float",
        str: "string",
        dict: "table",
        list: "array",
        datetime: "date-time",
    }
    kind = next((name for t, name in kinds.items() if type(value) is t), type(value).__name__)
    text = repr(value) if not isinstance(value, dict | list) or not value else kind
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{text} ({kind})" if text != kind else kind


class Reader:
    """Reads typed fields out of TOML tables, recording `(path, message)` for each problem."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def table(self, value: object, path: str, known: Sequence[str]) -> Mapping[str, Any] | None:
        """`value` as a table; any key not in `known` is reported (a typo must not pass)."""
        if not isinstance(value, dict):
            self.problem(path, f"must be a table, got {describe(value)}")
            return None
        for key in value:
            if key not in known:
                self.problem(join(path, key), f"unknown key; expected one of: {', '.join(known)}")
        return value

    def _get(self, table: Mapping[str, Any], key: str, path: str, required: bool) -> Any:
        if key not in table:
            if required:
                self.problem(join(path, key), "required key is missing")
            return None
        return table[key]

    def string(self, table: Mapping[str, Any], key: str, path: str) -> str | None:
        """A non-blank string, NFC-normalised (so the same name typed on two keyboards is the
        same name, and hashes the same)."""
        value = self._get(table, key, path, required=True)
        if value is None:
            return None
        return self.text(value, join(path, key))

    def text(self, value: object, path: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.problem(path, f"must be a non-empty string, got {describe(value)}")
            return None
        if value != value.strip():
            self.problem(path, "must not begin or end with spaces")
            return None
        return unicodedata.normalize("NFC", value)

    def integer(self, table: Mapping[str, Any], key: str, path: str, minimum: int) -> int | None:
        value = self._get(table, key, path, required=True)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.problem(join(path, key), f"must be a whole number, got {describe(value)}")
            return None
        if value < minimum:
            self.problem(join(path, key), f"must be at least {minimum}, got {value}")
            return None
        return value

    def choice(self, table: Mapping[str, Any], key: str, path: str, kind: type[E]) -> E | None:
        value = self._get(table, key, path, required=True)
        if value is None:
            return None
        try:
            return kind(value)
        except ValueError:
            names = ", ".join(repr(member.value) for member in kind)
            self.problem(join(path, key), f"must be one of {names}, got {describe(value)}")
            return None

    def percentage(self, table: Mapping[str, Any], key: str, path: str) -> Fraction | None:
        """An optional percentage from 0 (inclusive) to 100 (exclusive), exactly.

        A TOML float is read from its shortest decimal form (`3.3` is 33/10, not the nearest
        binary fraction), the way the person who wrote it meant it.
        """
        value = self._get(table, key, path, required=False)
        if value is None:
            return None
        where = join(path, key)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.problem(where, f"must be a number of percent, got {describe(value)}")
            return None
        text = repr(value) if isinstance(value, float) else str(value)
        if not _DECIMAL.match(text):
            self.problem(where, f"must be a decimal number of percent, got {describe(value)}")
            return None
        percent = Fraction(text)
        if not 0 <= percent < 100:
            self.problem(where, f"must be at least 0 and below 100, got {text}")
            return None
        return percent

    def moment(self, table: Mapping[str, Any], key: str, path: str) -> int | None:
        """A date-time with a timezone (TOML `2027-03-01T00:00:00Z` or an ISO-8601 string), as
        Unix seconds. A time without a timezone would mean different moments to different
        readers, so it is refused."""
        value = self._get(table, key, path, required=True)
        if value is None:
            return None
        where = join(path, key)
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                self.problem(where, f"must be an ISO-8601 date-time, got {describe(value)}")
                return None
        if not isinstance(value, datetime):
            self.problem(
                where, f"must be a date-time like 2027-03-01T00:00:00Z, got {describe(value)}"
            )
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            self.problem(where, "must have a timezone (for example 2027-03-01T00:00:00Z)")
            return None
        if value.microsecond:
            self.problem(where, "must be a whole second")
            return None
        return int(value.timestamp())

    def tables(
        self, table: Mapping[str, Any], key: str, path: str, required: bool
    ) -> list[Any] | None:
        """A non-empty array of tables (`[[key]]`); the elements are checked by the caller."""
        value = self._get(table, key, path, required)
        if value is None:
            return None
        if not isinstance(value, list) or not value:
            self.problem(
                join(path, key),
                f"must be a non-empty array of tables ([[{key}]]), got {describe(value)}",
            )
            return None
        return value

    def strings(self, table: Mapping[str, Any], key: str, path: str) -> list[str] | None:
        """A non-empty array of non-empty strings."""
        value = self._get(table, key, path, required=True)
        if value is None:
            return None
        where = join(path, key)
        if not isinstance(value, list) or not value:
            self.problem(where, f"must be a non-empty array of strings, got {describe(value)}")
            return None
        items = [self.text(item, join(where, index)) for index, item in enumerate(value)]
        return None if any(item is None for item in items) else [i for i in items if i]
