"""What can be wrong with a seat allocation's input; each message is one line a user can act on."""

from fractions import Fraction

from veche.errors import VecheError


class SeatError(VecheError):
    """Root of every error of the seat methods."""


class InvalidSeatCount(SeatError):
    """The number of seats to fill is not a whole number of at least 1."""

    def __init__(self, seats: object) -> None:
        self.seats = seats
        super().__init__(f"the number of seats must be a whole number >= 1, got {seats!r}")


class InvalidVoteCount(SeatError):
    """A party's vote count is not a whole number (a float would make the result inexact)."""

    def __init__(self, party: str, votes: object) -> None:
        self.party = party
        self.votes = votes
        super().__init__(f"votes for {party!r} must be a whole number, got {votes!r}")


class NegativeVotes(InvalidVoteCount):
    """A party's vote count is below zero."""

    def __init__(self, party: str, votes: int) -> None:
        super().__init__(party, votes)
        self.args = (f"votes for {party!r} must not be negative, got {votes}",)


class NoVotes(SeatError):
    """No party received a vote, so there is nothing to allocate seats by."""

    def __init__(self) -> None:
        super().__init__("no votes were cast for any party: seats cannot be allocated")


class UnknownMethod(SeatError):
    """The seat method's name is not one Veche implements."""

    def __init__(self, name: object, known: tuple[str, ...]) -> None:
        self.name = name
        super().__init__(f"unknown seat method {name!r}; expected one of: {', '.join(known)}")


class UnknownTieBreak(SeatError):
    """The tie-break rule's name is not one Veche implements."""

    def __init__(self, name: object, known: tuple[str, ...]) -> None:
        self.name = name
        super().__init__(f"unknown tie-break rule {name!r}; expected one of: {', '.join(known)}")


class InvalidThreshold(SeatError):
    """The threshold is not a percentage in [0, 100]."""

    def __init__(self, threshold: object) -> None:
        self.threshold = threshold
        super().__init__(f"the threshold must be a percentage from 0 to 100, got {threshold!r}")


class AllBelowThreshold(SeatError):
    """No party reached the threshold, so no party may receive a seat."""

    def __init__(self, threshold: Fraction, best: str, share: Fraction) -> None:
        self.threshold = threshold
        super().__init__(
            f"no party reached the {_percent(threshold)}% threshold "
            f"(best: {best!r} with {_percent(share)}%)"
        )


class BallotOrderMismatch(SeatError):
    """The ballot order does not list every party exactly once."""

    def __init__(self, missing: list[str], extra: list[str], repeated: list[str]) -> None:
        parts = []
        if missing:
            parts.append(f"missing {missing}")
        if extra:
            parts.append(f"unknown {extra}")
        if repeated:
            parts.append(f"repeated {repeated}")
        super().__init__("the ballot order must list every party exactly once: " + "; ".join(parts))


def _percent(value: Fraction) -> str:
    """A percentage for a message: exact when it is a short decimal, else 4 decimals."""
    rounded = round(value, 4)
    text = f"{float(rounded):.4f}".rstrip("0").rstrip(".")
    return text if rounded == value else "~" + text
