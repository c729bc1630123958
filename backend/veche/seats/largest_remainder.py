"""Largest remainder methods: Hare and Droop quotas.

Each party first receives one seat per full quota in its votes; the seats left over go, one per
party, to the largest remainders (`votes - quota seats * quota`).
"""

from collections.abc import Sequence
from fractions import Fraction

from veche.seats.methods import Method, TieBreak
from veche.seats.ranking import Contender, rank, take
from veche.seats.result import TieNote


def quota(method: Method, votes: int, seats: int) -> Fraction:
    """The number of votes a seat costs.

    Hare is the exact fraction `votes / seats` (never rounded, so the quota seats can never
    exceed the seats). Droop is Droop's own integer `floor(votes / (seats + 1)) + 1`, which is
    strictly greater than `votes / (seats + 1)`: the quota seats then never exceed the seats
    either, unlike with the unrounded Hagenbach-Bischoff quota.
    """
    if method is Method.HARE:
        return Fraction(votes, seats)
    if method is Method.DROOP:
        return Fraction(votes // (seats + 1) + 1)
    raise ValueError(f"{method} is not a largest remainder method")


def largest_remainder(
    parties: Sequence[Contender], seats: int, method: Method, tie_break: TieBreak
) -> tuple[dict[str, int], list[TieNote]]:
    """Seats per party in `parties` (each `value` is the party's votes) and the tie notes.

    With the Droop quota and very few votes for many seats (fewer votes than about seats²/2),
    more seats can be left over than there are parties; the leftover seats then go round the
    parties in remainder order again, so that every seat is filled and no party with more votes
    ends up with fewer seats.
    """
    total = sum(p.votes for p in parties)
    q = quota(method, total, seats)
    result = {p.party: int(p.value // q) for p in parties}
    remainders = [
        Contender(p.party, p.value - result[p.party] * q, p.votes, p.position) for p in parties
    ]
    rounds, last_round = divmod(seats - sum(result.values()), len(parties))
    for party in result:
        result[party] += rounds
    first_seat = seats - last_round + 1
    chosen, notes = take(rank(remainders, tie_break), last_round, first_seat)
    for remainder in chosen:
        result[remainder.party] += 1
    return result, notes
