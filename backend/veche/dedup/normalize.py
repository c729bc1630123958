# ruff: noqa: RUF001 (Cyrillic, dotless i and typographic apostrophes appear on purpose)
"""Normalization of the attributes a dedup tag is made of, so that one person gives one string
whichever registrar types it, in Cyrillic or in Latin, with or without diacritics.

For a name or a place, in this order:
1. Unicode NFKC (full-width and compatibility forms become plain letters), then casefold;
2. Cyrillic letters to Latin by ICAO 9303 (`transliterate`);
3. diacritics stripped (NFD, combining marks dropped), and a few letters without a decomposition
   mapped (`ł` to `l`, `ø` to `o`, `æ` to `ae`...);
4. apostrophes dropped; every other character that is not a Latin letter or a digit becomes a
   space (so "Петров-Водкин" and "PETROV VODKIN" meet); whitespace collapsed;
5. variants of the transliteration systems Russian passports used before ICAO folded: `y` and
   `j` to `i`, `x` to `ks`, `w` to `v`, then `ie` to `e` (so YURIY, IURII and JURIJ meet, as do
   YELENA and ELENA), repeated until nothing changes;
6. for a place only: settlement-type words ("g.", "gorod", "selo"...) and country names dropped.

The result is idempotent (`normalize(normalize(s)) == normalize(s)`), which a property test
checks. A birth date must be ISO `YYYY-MM-DD` and a real date.
"""

import datetime
import re
import unicodedata

from veche.dedup.errors import InvalidAttribute
from veche.dedup.transliterate import transliterate

_NO_DECOMPOSITION = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i", "ħ": "h"}
)
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
_VARIANTS = (("y", "i"), ("j", "i"), ("x", "ks"), ("w", "v"), ("ie", "e"))

PLACE_STOPWORDS = frozenset(
    {
        # settlement types, as Russian documents abbreviate them (after transliteration)
        "g", "gor", "gorod", "pos", "poselok", "pgt", "s", "selo", "d", "der", "derevnia",
        "st", "stanitsa", "rp", "obl", "oblast", "kr", "krai", "r", "n", "raion", "resp",
        "respublika", "ao", "city", "town", "village", "of",
        # countries that appear after a slash on passports
        "sssr", "ussr", "rsfsr", "rossiia", "russia", "rf", "rossiiskaia", "federatsiia",
        "russian", "federation", "soiuz", "union",
    }
)  # fmt: skip
"""Words dropped from a place of birth: the place is the settlement's name alone. Listed after
normalization (so "г." is "g" and "Россия" is "rossiia")."""


def normalize_text(text: str) -> str:
    """Steps 1 to 5 above: the canonical form of a name."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    latin = transliterate(folded).translate(_NO_DECOMPOSITION)
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", latin) if not unicodedata.combining(c)
    )
    words = _NOT_ALPHANUMERIC.sub(" ", _APOSTROPHES.sub("", stripped)).split()
    return " ".join(_fold_variants(word) for word in words)


def _fold_variants(word: str) -> str:
    previous = None
    while word != previous:
        previous = word
        for variant, canonical in _VARIANTS:
            word = word.replace(variant, canonical)
    return word


def normalize_name(text: str, field: str = "name") -> str:
    """The canonical form of a name; refuses one with no letter or digit left."""
    normalized = normalize_text(text)
    if not normalized:
        raise InvalidAttribute(field, "must hold at least one letter")
    return normalized


def normalize_place(text: str, field: str = "birth place") -> str:
    """The canonical form of a place of birth: a name without settlement types or countries."""
    words = [word for word in normalize_text(text).split() if word not in PLACE_STOPWORDS]
    if not words:
        raise InvalidAttribute(field, "must name a settlement")
    return " ".join(words)


def normalize_date(text: str, field: str = "birth date") -> str:
    """An ISO `YYYY-MM-DD` date, checked to exist and to be in the past (after 1900)."""
    value = text.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise InvalidAttribute(field, "must be YYYY-MM-DD")
    try:
        date = datetime.date.fromisoformat(value)
    except ValueError:
        raise InvalidAttribute(field, "is not a date") from None
    if not datetime.date(1900, 1, 1) <= date <= datetime.date.today():
        raise InvalidAttribute(field, "is not a plausible birth date (1900 to today)")
    return date.isoformat()
