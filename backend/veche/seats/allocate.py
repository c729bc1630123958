"""`allocate`: checks the input, applies the threshold, and hands over to the method's family."""

from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction
from numbers import Rational

from veche.seats.errors import (
    AllBelowThreshold,
    BallotOrderMismatch,
    InvalidSeatCount,
    InvalidThreshold,
    InvalidVoteCount,
    NegativeVotes,
    NoVotes,
)
from veche.seats.highest_averages import highest_averages
from veche.seats.largest_remainder import largest_remainder
from veche.seats.methods import Method, TieBreak
from veche.seats.ranking import Contender
from veche.seats.result import Allocation


def allocate(
    votes: Mapping[str, int],
    seats: int,
    method: Method | str,
    threshold_percent: Fraction | int | None = None,
    order: Sequence[str] | None = None,
    tie_break: TieBreak | str = TieBreak.MORE_VOTES_THEN_BALLOT_ORDER,
) -> Allocation:
    """Distributes `seats` among the parties of `votes` by `method`.

    `threshold_percent` is a share of all valid votes (the sum of `votes`, including the parties
    that miss it): a party with at least that share takes part, the others get no seat, and the
    quota (Hare, Droop) is then computed over the votes of the parties that take part. A party
    with no votes never gets a seat. `order` is the ballot order that the tie-break rule uses
    (default: the order of `votes`). All arithmetic is on integers and fractions, so every
    recounter gets the same seats.
    """
    method = Method.parse(method)
    tie_break = TieBreak.parse(tie_break)
    _check_seats(seats)
    for party, count in votes.items():
        _check_votes(party, count)
    ballot_order = _ballot_order(votes, order)
    total = sum(votes.values())
    if total == 0:
        raise NoVotes()
    threshold = _check_threshold(threshold_percent)
    eligible = [p for p in ballot_order if votes[p] > 0 and 100 * votes[p] >= threshold * total]
    if not eligible:
        best = max(ballot_order, key=lambda p: votes[p])
        raise AllBelowThreshold(threshold, best, Fraction(100 * votes[best], total))
    contenders = [
        Contender(party, Fraction(votes[party]), votes[party], ballot_order.index(party))
        for party in eligible
    ]
    family = highest_averages if method.is_highest_averages else largest_remainder
    won, ties = family(contenders, seats, method, tie_break)
    return Allocation(
        seats={party: won.get(party, 0) for party in ballot_order},
        ties=tuple(ties),
        method=method,
        tie_break=tie_break,
        total_seats=seats,
        eligible=tuple(eligible),
    )


def _check_seats(seats: object) -> None:
    if not isinstance(seats, int) or isinstance(seats, bool) or seats < 1:
        raise InvalidSeatCount(seats)


def _check_votes(party: str, count: object) -> None:
    if not isinstance(count, int) or isinstance(count, bool):
        raise InvalidVoteCount(party, count)
    if count < 0:
        raise NegativeVotes(party, count)


def _check_threshold(threshold: object) -> Fraction:
    if threshold is None:
        return Fraction(0)
    if not isinstance(threshold, Rational) or isinstance(threshold, bool):
        raise InvalidThreshold(threshold)
    value = Fraction(threshold)
    if not 0 <= value <= 100:
        raise InvalidThreshold(threshold)
    return value


def _ballot_order(votes: Mapping[str, int], order: Sequence[str] | None) -> list[str]:
    if order is None:
        return list(votes)
    counts = Counter(order)
    missing = [p for p in votes if p not in counts]
    extra = [p for p in counts if p not in votes]
    repeated = [p for p, n in counts.items() if n > 1]
    if missing or extra or repeated:
        raise BallotOrderMismatch(missing, extra, repeated)
    return list(order)
