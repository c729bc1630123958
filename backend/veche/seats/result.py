"""The outcome of a seat allocation, including which seats a tie decided."""

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from veche.seats.methods import Method, TieBreak


@dataclass(frozen=True)
class TieNote:
    """One seat that went to `winner` only because of the tie-break rule.

    `seat` numbers the seats in the order the method awards them, from 1: for highest averages,
    the rank of the winning quotient; for largest remainder, the quota seats come first and the
    remainder seats follow by rank of remainder. `losers` are the parties whose equal `value`
    (quotient or remainder, in votes) did not win a seat in the tie.
    """

    seat: int
    winner: str
    losers: tuple[str, ...]
    value: Fraction
    decided_by: str
    """`"more votes"` when the winner had more votes than every loser, else `"ballot order"`."""

    def describe(self) -> str:
        """One line for a person: which seat, who tied, and what separated them."""
        others = ", ".join(repr(p) for p in self.losers)
        value = str(self.value) if self.value.denominator != 1 else str(self.value.numerator)
        return (
            f"seat {self.seat} went to {self.winner!r} by tie-break ({self.decided_by}) "
            f"over {others}, all at {value}"
        )


@dataclass(frozen=True)
class Allocation:
    """Seats per party (every party of the input, in ballot order, zero included)."""

    seats: Mapping[str, int]
    ties: tuple[TieNote, ...]
    method: Method
    tie_break: TieBreak
    total_seats: int
    eligible: tuple[str, ...]
    """The parties that reached the threshold (all parties with votes, if there is none)."""

    @property
    def tie_decided(self) -> bool:
        """True when at least one seat would have gone elsewhere without the tie-break rule."""
        return bool(self.ties)
