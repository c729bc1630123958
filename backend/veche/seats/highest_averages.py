"""Highest averages (divisor) methods: D'Hondt and Sainte-Laguë.

Each party's votes are divided by a sequence of divisors; the `seats` largest quotients win one
seat each. Quotients are exact fractions, so two quotients are equal only when they truly are.
"""

from collections.abc import Callable, Sequence

from veche.seats.methods import Method, TieBreak
from veche.seats.ranking import Contender, rank, take
from veche.seats.result import TieNote

Divisor = Callable[[int], int]
"""The divisor applied to a party that already holds `n` seats."""

DIVISORS: dict[Method, Divisor] = {
    Method.DHONDT: lambda n: n + 1,
    Method.SAINTE_LAGUE: lambda n: 2 * n + 1,
}


def highest_averages(
    parties: Sequence[Contender], seats: int, method: Method, tie_break: TieBreak
) -> tuple[dict[str, int], list[TieNote]]:
    """Seats per party in `parties` (each `value` is the party's votes) and the tie notes.

    A party never needs more than `seats` quotients, so ranking `len(parties) * seats` of them
    is exact and, for parliaments of a few hundred seats, fast.
    """
    divisor = DIVISORS[method]
    quotients = [
        Contender(p.party, p.value / divisor(n), p.votes, p.position)
        for p in parties
        for n in range(seats)
    ]
    chosen, notes = take(rank(quotients, tie_break), seats, first_seat=1)
    result = {p.party: 0 for p in parties}
    for quotient in chosen:
        result[quotient.party] += 1
    return result, notes
