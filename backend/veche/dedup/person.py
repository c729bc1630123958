"""A person's stable attributes and the canonical bytes the dedup tag is computed from.

Not a document number: a citizen may hold two valid passports (an internal and a foreign one,
or two foreign ones), and each would give a different tag. Name, date and place of birth are
the same in every document of one person.
"""

from dataclasses import dataclass

from veche.dedup.normalize import normalize_date, normalize_name, normalize_place

FORMAT_VERSION = b"veche-person/v1"
_SEPARATOR = b"\x1f"  # ASCII unit separator: cannot occur in a normalized field


@dataclass(frozen=True)
class Person:
    """The attributes as a registrar types them from a document (any script, any case)."""

    family_name: str
    given_names: str
    """Given name and patronymic (or middle names), in document order."""
    birth_date: str
    """ISO `YYYY-MM-DD`."""
    birth_place: str
    """The settlement of birth, as in the document."""

    def __repr__(self) -> str:
        return "Person(<personal data>)"

    def canonical(self) -> bytes:
        """`version, family, given, date, place`, normalized and joined by 0x1F, in UTF-8."""
        fields = (
            normalize_name(self.family_name, "family name"),
            normalize_name(self.given_names, "given names"),
            normalize_date(self.birth_date),
            normalize_place(self.birth_place),
        )
        return _SEPARATOR.join([FORMAT_VERSION, *(f.encode() for f in fields)])
