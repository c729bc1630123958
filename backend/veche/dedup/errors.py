"""Errors of blind deduplication: each names the offending value or authority in one line."""

from veche.errors import VecheError


class DedupError(VecheError):
    """Root of the errors raised by `veche.dedup`."""


class InvalidAttribute(DedupError):
    """A person's attribute is empty or malformed (an impossible birth date, say). The message
    never repeats the value: it is personal data, and error output may end up in a log."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        super().__init__(f"{field}: {reason}")


class InvalidGroupElement(DedupError):
    """A point is not a non-neutral element of Baby Jubjub's prime-order subgroup.

    Authorities refuse such a blinded point (a point of small order would leak their share's
    low bits), and registrars refuse such an evaluation.
    """


class InvalidShares(DedupError):
    """Shamir parameters or shares are inconsistent (threshold, indices, public key shares)."""


class KeyFileError(DedupError):
    """A share file or a public key set is missing, unreadable or malformed."""


class AuthorityError(DedupError):
    """A dedup authority could not be used: down, refusing, or answering wrongly."""

    def __init__(self, authority: str, reason: str) -> None:
        self.authority = authority
        self.reason = reason
        super().__init__(f"dedup authority {authority}: {reason}")


class WrongEvaluation(AuthorityError):
    """An authority's evaluation does not carry a valid proof for its published key share: it
    is faulty or cheating, and must be reported to the organizers."""


class TooFewAuthorities(DedupError):
    """Fewer than the threshold of authorities gave a valid evaluation: no tag can be made."""
