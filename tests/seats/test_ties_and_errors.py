"""The tie-break rule, the tie notes, and the one-line errors for bad input."""

from fractions import Fraction

import pytest

from veche.seats import (
    AllBelowThreshold,
    BallotOrderMismatch,
    InvalidSeatCount,
    InvalidThreshold,
    InvalidVoteCount,
    Method,
    NegativeVotes,
    NoVotes,
    TieBreak,
    TieNote,
    UnknownMethod,
    allocate,
)


def test_equal_quotients_for_the_last_seat_go_to_the_party_with_more_votes() -> None:
    # D'Hondt, 2 seats: A's second quotient (6000) and B's first (6000) compete for seat 2.
    allocation = allocate({"B": 6_000, "A": 12_000}, 2, Method.DHONDT)
    assert dict(allocation.seats) == {"B": 0, "A": 2}
    assert allocation.ties == (
        TieNote(seat=2, winner="A", losers=("B",), value=Fraction(6_000), decided_by="more votes"),
    )


def test_equal_votes_for_the_last_seat_go_to_the_first_in_ballot_order() -> None:
    votes = {"A": 500, "B": 500, "C": 500}
    first = allocate(votes, 2, Method.SAINTE_LAGUE, order=["C", "A", "B"])
    assert dict(first.seats) == {"A": 1, "B": 0, "C": 1}
    assert [(n.seat, n.winner, n.losers, n.decided_by) for n in first.ties] == [
        (1, "C", ("B",), "ballot order"),
        (2, "A", ("B",), "ballot order"),
    ]


def test_ballot_order_rule_ignores_total_votes() -> None:
    allocation = allocate(
        {"B": 6_000, "A": 12_000}, 2, Method.DHONDT, tie_break=TieBreak.BALLOT_ORDER
    )
    assert dict(allocation.seats) == {"B": 1, "A": 1}
    assert [(n.seat, n.winner, n.losers, n.decided_by) for n in allocation.ties] == [
        (2, "B", ("A",), "ballot order")
    ]


def test_equal_remainders_for_the_last_seat_are_reported() -> None:
    # Hare, 1 seat, quota 200: no party has a full quota, remainders 100 and 100.
    allocation = allocate({"A": 100, "B": 100}, 1, Method.HARE, order=["B", "A"])
    assert dict(allocation.seats) == {"A": 0, "B": 1}
    (note,) = allocation.ties
    assert (note.seat, note.winner, note.losers) == (1, "B", ("A",))
    assert note.describe() == (
        "seat 1 went to 'B' by tie-break (ballot order) over 'A', all at 100"
    )


def test_a_clear_result_reports_no_tie() -> None:
    assert allocate({"A": 101, "B": 100}, 1, Method.HARE).ties == ()


def test_threshold_share_is_of_all_valid_votes_and_reaching_it_exactly_passes() -> None:
    votes = {"A": 90, "B": 5, "C": 5}
    assert allocate(votes, 10, Method.HARE, Fraction(5)).eligible == ("A", "B", "C")
    assert allocate(votes, 10, Method.HARE, Fraction(51, 10)).eligible == ("A",)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: allocate({"A": -1, "B": 3}, 2, "dhondt"), NegativeVotes, "must not be negative"),
        (lambda: allocate({"A": 1.5}, 2, "dhondt"), InvalidVoteCount, "whole number"),  # type: ignore[dict-item]
        (lambda: allocate({"A": True}, 2, "dhondt"), InvalidVoteCount, "whole number"),
        (lambda: allocate({"A": 1}, 0, "dhondt"), InvalidSeatCount, ">= 1, got 0"),
        (lambda: allocate({"A": 1}, 2, "plurality"), UnknownMethod, "'plurality'"),
        (lambda: allocate({"A": 0, "B": 0}, 2, "hare"), NoVotes, "no votes"),
        (lambda: allocate({}, 2, "hare"), NoVotes, "no votes"),
        (lambda: allocate({"A": 1}, 2, "hare", 101), InvalidThreshold, "from 0 to 100"),
        (lambda: allocate({"A": 1}, 2, "hare", 5.0), InvalidThreshold, "from 0 to 100"),  # type: ignore[arg-type]
        (
            lambda: allocate({"A": 4, "B": 6}, 2, "droop", 70),
            AllBelowThreshold,
            r"no party reached the 70% threshold \(best: 'B' with 60%\)",
        ),
        (
            lambda: allocate({"A": 4, "B": 6}, 2, "droop", order=["A", "A", "C"]),
            BallotOrderMismatch,
            r"missing \['B'\]; unknown \['C'\]; repeated \['A'\]",
        ),
    ],
)
def test_bad_input_is_refused_with_a_one_line_reason(
    call: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message) as caught:
        call()  # type: ignore[operator]
    assert "\n" not in str(caught.value)
