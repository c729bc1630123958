"""The seat-stability margin: cases worked out by hand, and a brute-force search over every
redistribution of the ballots that the fast search must agree with."""

from collections.abc import Iterator
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veche.seats import Method, TieBreak
from veche.seats.stability import Margin, seats_of, stability_margin

from .strategies import methods, tie_breaks


@pytest.mark.parametrize(
    ("votes", "seats", "method", "threshold", "expected"),
    [
        # One seat, 10 against 5: after 2 moves it is 8 to 7; after 3, 7 to 8.
        ({"A": 10, "B": 5}, 1, Method.DHONDT, None, Margin(3, "A", "B")),
        # 10 against 8: one move makes 9 to 9, which A keeps (equal votes, first on the ballot).
        ({"A": 10, "B": 8}, 1, Method.DHONDT, None, Margin(2, "A", "B")),
        # The same votes with B first on the ballot: B takes the 9-9 tie, so one ballot is enough.
        ({"B": 8, "A": 10}, 1, Method.DHONDT, None, Margin(1, "A", "B")),
        # The worked example of docs/PROTOCOL.md: B holds its seat on a tie with C at 10, and
        # one ballot moved from A to B gives C a seat too (quotients 19, 11, 10 beat 9.5).
        ({"A": 20, "B": 10, "C": 10}, 3, Method.DHONDT, None, Margin(1, "A", "B")),
        # Hare, 2 seats over 100 votes, 10% threshold: B (9) is below it. From 10 votes on, B
        # takes part, but it wins the second seat only when its remainder b/50 beats A's
        # (50 - b)/50, that is at b = 26 (at 25 the tie goes to A on more votes): 17 ballots.
        ({"A": 91, "B": 9}, 2, Method.HARE, Fraction(10), Margin(17, "A", "B")),
        # Sainte-Laguë, 2 seats, 7 against 3: quotients 7 and 3 win (A's 7/3 does not). One
        # ballot from B to A: A's 8/3 beats B's 2, and A takes both seats.
        ({"A": 7, "B": 3}, 2, Method.SAINTE_LAGUE, None, Margin(1, "B", "A")),
    ],
)
def test_margin_of_cases_worked_out_by_hand(
    votes: dict[str, int],
    seats: int,
    method: Method,
    threshold: Fraction | None,
    expected: Margin,
) -> None:
    assert stability_margin(votes, seats, method, threshold) == expected


def test_no_votes_or_a_single_list_has_no_margin() -> None:
    assert stability_margin({"A": 0, "B": 0}, 2, Method.DHONDT) is None
    assert stability_margin({"A": 40}, 2, Method.DHONDT) is None


def _redistributions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _redistributions(total - first, parts - 1):
            yield (first, *rest)


def _brute_force(
    votes: dict[str, int], seats: int, method: Method, threshold: Fraction, tie: TieBreak
) -> int | None:
    names = list(votes)
    base = seats_of(votes, seats, method, threshold, tie)
    best = None
    for counts in _redistributions(sum(votes.values()), len(names)):
        moved = sum(max(0, c - votes[n]) for c, n in zip(counts, names, strict=True))
        if best is not None and moved >= best:
            continue
        if seats_of(dict(zip(names, counts, strict=True)), seats, method, threshold, tie) != base:
            best = moved
    return best


small_votes = st.lists(st.integers(0, 9), min_size=2, max_size=4).filter(lambda v: sum(v) > 0)


@settings(max_examples=250, deadline=None)
@given(
    small_votes,
    st.integers(1, 5),
    methods,
    st.sampled_from([Fraction(0), Fraction(10), Fraction(25), Fraction(34)]),
    tie_breaks,
)
def test_margin_equals_brute_force_over_every_redistribution(
    counts: list[int], seats: int, method: Method, threshold: Fraction, tie: TieBreak
) -> None:
    votes = dict(zip("ABCD", counts, strict=False))
    margin = stability_margin(votes, seats, method, threshold, tie)
    expected = _brute_force(votes, seats, method, threshold, tie)
    assert (None if margin is None else margin.ballots) == expected
    if margin is not None:  # the move it names does change the seats
        moved = dict(votes)
        moved[margin.source] -= margin.ballots
        moved[margin.target] += margin.ballots
        base = seats_of(votes, seats, method, threshold, tie)
        assert seats_of(moved, seats, method, threshold, tie) != base
