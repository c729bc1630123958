"""The seat-stability margin: the fewest ballots that, moved from one list to another, would
change how many seats any list gets.

Moving a ballot keeps the number of valid votes, so the threshold's bar and every quota that
depends only on the total stay put; what moves is who is above the bar and who holds the last
seats. A change of seats means some list `i` gains a seat that some list `j` loses. Moving a
ballot from `j` to `i` raises `i`'s claims and lowers `j`'s at once, which no other single move
does better, so the margin is the least, over ordered pairs of lists, of the fewest ballots
moved from `j` to `i` that change the seats. For one pair, the seats stay as they are up to some
number of ballots and differ from then on (`i` only gains claims, `j` only loses them), so a
binary search finds that number.

Both statements are checked against a brute-force search over every redistribution of the
ballots on small cases (tests/seats/test_stability.py), for every method and with thresholds.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from veche.seats.allocate import allocate
from veche.seats.errors import AllBelowThreshold
from veche.seats.methods import Method, TieBreak


@dataclass(frozen=True)
class Margin:
    """`ballots` moved from list `source` to list `target` change the seats, and no fewer
    moved in any way would."""

    ballots: int
    source: str
    target: str


def seats_of(
    votes: Mapping[str, int],
    seats: int,
    method: Method | str,
    threshold_percent: Fraction | int | None,
    tie_break: TieBreak | str,
) -> tuple[int, ...]:
    """Seats per list in the order of `votes` (all zero when no list reaches the threshold)."""
    try:
        allocation = allocate(votes, seats, method, threshold_percent, list(votes), tie_break)
    except AllBelowThreshold:
        return (0,) * len(votes)
    return tuple(allocation.seats[name] for name in votes)


def stability_margin(
    votes: Mapping[str, int],
    seats: int,
    method: Method | str,
    threshold_percent: Fraction | int | None = None,
    tie_break: TieBreak | str = TieBreak.MORE_VOTES_THEN_BALLOT_ORDER,
) -> Margin | None:
    """The fewest ballots whose move between lists changes the seats of `votes` (a mapping
    from list to votes, in ballot order), or None if no move can (one list, or no votes)."""
    names = list(votes)
    if sum(votes.values()) == 0 or len(names) < 2:
        return None

    def allocation(counts: Sequence[int]) -> tuple[int, ...]:
        by_name = dict(zip(names, counts, strict=True))
        return seats_of(by_name, seats, method, threshold_percent, tie_break)

    base_counts = [votes[name] for name in names]
    base = allocation(base_counts)

    def changes(source: int, target: int) -> Callable[[int], bool]:
        return lambda moved: allocation(_move(base_counts, source, target, moved)) != base

    best: Margin | None = None
    for j, source in enumerate(names):
        for i, target in enumerate(names):
            if i == j or base_counts[j] == 0:
                continue
            limit = base_counts[j] if best is None else min(base_counts[j], best.ballots - 1)
            found = _fewest(changes(j, i), limit)
            if found is not None:
                best = Margin(found, source, target)
    return best


def _move(counts: Sequence[int], source: int, target: int, ballots: int) -> list[int]:
    moved = list(counts)
    moved[source] -= ballots
    moved[target] += ballots
    return moved


def _fewest(changes: Callable[[int], bool], limit: int) -> int | None:
    """The least `n` in 1..limit with `changes(n)`, for a `changes` false up to some point and
    true from there on; None if `changes(limit)` is false."""
    if limit < 1 or not changes(limit):
        return None
    low, high = 1, limit
    while low < high:
        middle = (low + high) // 2
        if changes(middle):
            high = middle
        else:
            low = middle + 1
    return low
