"""Ranking contenders for the last seats, and noticing when only the tie-break separated them.

Both method families end the same way: a list of contenders (quotients, or remainders) is ranked
and the first `k` win. A tie decides a seat exactly when the cut falls inside a group of equal
values; ties above or below the cut change nothing and are not reported.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from veche.seats.methods import TieBreak
from veche.seats.result import TieNote


@dataclass(frozen=True)
class Contender:
    """One claim on a seat: `party`'s quotient or remainder `value`."""

    party: str
    value: Fraction
    votes: int
    position: int
    """The party's place in the ballot order, from 0."""


def rank(contenders: Sequence[Contender], tie_break: TieBreak) -> list[Contender]:
    """Contenders from the strongest claim to the weakest; the order is total (never random)."""
    if tie_break is TieBreak.MORE_VOTES_THEN_BALLOT_ORDER:
        return sorted(contenders, key=lambda c: (-c.value, -c.votes, c.position))
    return sorted(contenders, key=lambda c: (-c.value, c.position))


def take(
    ranked: Sequence[Contender], winners: int, first_seat: int
) -> tuple[list[Contender], list[TieNote]]:
    """The first `winners` of `ranked`, and a note for each of their seats a tie decided.

    `first_seat` is the number of the seat won by `ranked[0]`, for the notes.
    """
    chosen = list(ranked[:winners])
    if winners == 0 or winners >= len(ranked) or ranked[winners - 1].value != ranked[winners].value:
        return chosen, []
    boundary = ranked[winners - 1].value
    losers = [c for c in ranked[winners:] if c.value == boundary]
    notes = []
    for index, contender in enumerate(chosen):
        if contender.value != boundary:
            continue
        by_votes = all(contender.votes > loser.votes for loser in losers)
        notes.append(
            TieNote(
                seat=first_seat + index,
                winner=contender.party,
                losers=tuple(loser.party for loser in losers),
                value=boundary,
                decided_by="more votes" if by_votes else "ballot order",
            )
        )
    return chosen, notes
