"""The seat methods and tie-break rules a definition may name, by their published spelling."""

from enum import StrEnum

from veche.seats.errors import UnknownMethod, UnknownTieBreak


class Method(StrEnum):
    """A proportional seat method. The value is the name used in files and on the command line."""

    DHONDT = "dhondt"
    """Highest averages with divisors 1, 2, 3, ...: slightly favours larger parties."""
    SAINTE_LAGUE = "sainte-lague"
    """Highest averages with divisors 1, 3, 5, ...: closest to proportional for any party size."""
    HARE = "hare"
    """Largest remainder with the Hare quota `votes / seats` (exact fraction)."""
    DROOP = "droop"
    """Largest remainder with the Droop quota `floor(votes / (seats + 1)) + 1`."""

    @property
    def is_highest_averages(self) -> bool:
        return self in (Method.DHONDT, Method.SAINTE_LAGUE)

    @classmethod
    def parse(cls, name: "str | Method") -> "Method":
        """The method called `name`, or `UnknownMethod` with the names that exist."""
        try:
            return cls(name)
        except ValueError:
            raise UnknownMethod(name, tuple(m.value for m in cls)) from None


class TieBreak(StrEnum):
    """How two equal quotients (or remainders) competing for the last seat are separated.

    Both rules use only published data, so every recounter reaches the same seats without any
    randomness. A lot drawn at count time would need a trusted coin (whoever draws could redraw
    until it suits them); a seed published before the vote is no better than a fixed order. The
    randomness, if wanted, belongs where it is public and early: drawing the ballot order when
    the lists are registered, which the definition (and its hash on chain) then records.
    """

    MORE_VOTES_THEN_BALLOT_ORDER = "more-votes-then-ballot-order"
    """The party with more votes in total wins; if their votes are equal too, the one that comes
    first in the ballot order. The first step is Spain's rule (LOREG art. 163.1.c)."""
    BALLOT_ORDER = "ballot-order"
    """The party that comes first in the ballot order wins."""

    @classmethod
    def parse(cls, name: "str | TieBreak") -> "TieBreak":
        """The rule called `name`, or `UnknownTieBreak` with the names that exist."""
        try:
            return cls(name)
        except ValueError:
            raise UnknownTieBreak(name, tuple(t.value for t in cls)) from None
