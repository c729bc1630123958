"""Properties every seat method must have, checked on many random elections (Hypothesis).

These are the promises a voter can check without trusting our code: every seat is filled, more
votes never mean fewer seats, largest remainder stays within quota, the threshold is respected,
and the order the parties are listed in only matters through the published tie-break rule.
"""

from fractions import Fraction
from math import ceil, floor
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.seats.strategies import (
    methods,
    seat_counts,
    thresholds,
    tie_breaks,
    votes,
)
from veche.seats import AllBelowThreshold, Allocation, Method, TieBreak, allocate, quota

EXAMPLES = settings(max_examples=300, deadline=None)


def _eligible_total(allocation: Allocation, counts: dict[str, int]) -> int:
    return sum(counts[p] for p in allocation.eligible)


@EXAMPLES
@given(votes(), seat_counts, methods, tie_breaks)
def test_every_seat_is_filled(
    counts: dict[str, int], seats: int, method: Method, tie_break: TieBreak
) -> None:
    allocation = allocate(counts, seats, method, tie_break=tie_break)
    assert sum(allocation.seats.values()) == seats
    assert list(allocation.seats) == list(counts)


@EXAMPLES
@given(votes(min_parties=2), seat_counts, methods, tie_breaks, thresholds)
def test_more_votes_never_means_fewer_seats(
    counts: dict[str, int],
    seats: int,
    method: Method,
    tie_break: TieBreak,
    threshold: Fraction | None,
) -> None:
    try:
        won = allocate(counts, seats, method, threshold, tie_break=tie_break).seats
    except AllBelowThreshold:
        return
    for a in counts:
        for b in counts:
            if counts[a] > counts[b]:
                assert won[a] >= won[b], (a, b)
            if counts[a] == counts[b]:
                assert abs(won[a] - won[b]) <= 1, (a, b)


@EXAMPLES
@given(votes(), seat_counts, tie_breaks)
def test_hare_stays_within_quota(counts: dict[str, int], seats: int, tie_break: TieBreak) -> None:
    allocation = allocate(counts, seats, Method.HARE, tie_break=tie_break)
    total = _eligible_total(allocation, counts)
    for party in allocation.eligible:
        share = Fraction(counts[party] * seats, total)
        assert floor(share) <= allocation.seats[party] <= ceil(share), party


@EXAMPLES
@given(votes(), seat_counts, tie_breaks)
def test_droop_gives_every_full_quota_and_at_most_one_seat_more(
    counts: dict[str, int], seats: int, tie_break: TieBreak
) -> None:
    allocation = allocate(counts, seats, Method.DROOP, tie_break=tie_break)
    total = _eligible_total(allocation, counts)
    q = quota(Method.DROOP, total, seats)
    for party in allocation.eligible:
        full_quotas = floor(counts[party] / q)
        assert allocation.seats[party] >= full_quotas, party
        if total >= seats * (seats + 1):  # else leftover seats may go round the parties again
            assert allocation.seats[party] <= full_quotas + 1, party


@EXAMPLES
@given(votes(min_parties=2), seat_counts, st.sampled_from([Method.DHONDT, Method.SAINTE_LAGUE]))
def test_highest_averages_gives_no_seat_to_a_smaller_quotient(
    counts: dict[str, int], seats: int, method: Method
) -> None:
    """The divisor-method condition: the weakest quotient that won a seat is at least as large
    as the strongest quotient that did not (otherwise a seat went to the wrong party)."""
    won = allocate(counts, seats, method).seats

    def divisor(n: int) -> int:
        return n + 1 if method is Method.DHONDT else 2 * n + 1

    weakest_winner = min(Fraction(counts[p], divisor(won[p] - 1)) for p in counts if won[p])
    strongest_loser = max(Fraction(counts[p], divisor(won[p])) for p in counts)
    assert weakest_winner >= strongest_loser


@EXAMPLES
@given(votes(), seat_counts, methods, thresholds)
def test_threshold_is_respected(
    counts: dict[str, int], seats: int, method: Method, threshold: Fraction | None
) -> None:
    total = sum(counts.values())
    limit = threshold or 0
    passing = [p for p in counts if counts[p] > 0 and Fraction(100 * counts[p], total) >= limit]
    try:
        allocation = allocate(counts, seats, method, threshold)
    except AllBelowThreshold:
        assert not passing
        return
    assert list(allocation.eligible) == passing
    for party in counts:
        if party not in passing:
            assert allocation.seats[party] == 0, party
    assert sum(allocation.seats.values()) == seats


@EXAMPLES
@given(votes(), seat_counts, methods, tie_breaks, st.randoms(use_true_random=False))
def test_listing_order_matters_only_through_the_tie_break(
    counts: dict[str, int], seats: int, method: Method, tie_break: TieBreak, rng: Random
) -> None:
    order = list(counts)
    shuffled_input = dict(rng.sample(sorted(counts.items()), len(counts)))
    shuffled_order = rng.sample(order, len(order))
    base = allocate(counts, seats, method, order=order, tie_break=tie_break)
    # The order of the mapping never matters: only the ballot order does.
    assert allocate(shuffled_input, seats, method, order=order, tie_break=tie_break) == base
    # Another ballot order can change the seats only where a tie decided them.
    other = allocate(counts, seats, method, order=shuffled_order, tie_break=tie_break)
    assert bool(other.ties) == bool(base.ties)
    if not base.ties:
        assert dict(other.seats) == dict(base.seats)


@EXAMPLES
@given(votes(min_parties=2), seat_counts, methods)
def test_a_reported_tie_really_decided_the_seat(
    counts: dict[str, int], seats: int, method: Method
) -> None:
    """Putting a tie's loser first in the ballot order hands it the seat it lost."""
    base = allocate(counts, seats, method, tie_break=TieBreak.BALLOT_ORDER)
    for note in base.ties:
        loser = note.losers[0]
        order = [loser, *(p for p in counts if p != loser)]
        other = allocate(counts, seats, method, order=order, tie_break=TieBreak.BALLOT_ORDER)
        assert other.seats[loser] == base.seats[loser] + 1


@EXAMPLES
@given(votes(), seat_counts, methods)
def test_a_party_without_votes_gets_no_seat(
    counts: dict[str, int], seats: int, method: Method
) -> None:
    allocation = allocate(counts, seats, method)
    for party, count in counts.items():
        if count == 0:
            assert allocation.seats[party] == 0
