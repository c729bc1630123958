# ruff: noqa: RUF001 (the table maps Cyrillic letters that look like Latin ones: on purpose)
"""Cyrillic to Latin by one fixed table: ICAO Doc 9303 (7th edition, part 3, section 6), the
transliteration of Russian passports issued since 2014 (FMS order no. 320), extended with the
Ukrainian and Belarusian letters of the same table.

Only Cyrillic letters are replaced, so a name typed in Latin passes through unchanged and
"Иванов" and "IVANOV" meet. Input is lower case (normalization casefolds first).
"""

CYRILLIC_TO_LATIN: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
    # Ukrainian and Belarusian letters of ICAO 9303's table.
    "є": "ie", "і": "i", "ї": "i", "ґ": "g", "ў": "u",
}  # fmt: skip
"""ICAO 9303 for every lower-case Cyrillic letter Russian, Ukrainian and Belarusian names use.
The soft sign is dropped, as in passports."""

_TABLE = str.maketrans(CYRILLIC_TO_LATIN)


def transliterate(text: str) -> str:
    """`text` with every Cyrillic letter of the table replaced by its ICAO 9303 Latin."""
    return text.translate(_TABLE)


def has_cyrillic(text: str) -> bool:
    """Whether `text` holds any character of the Cyrillic Unicode block."""
    return any("\u0400" <= character <= "\u04ff" for character in text)
