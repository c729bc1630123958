"""Votes per option and the winners."""

from hypothesis import given
from hypothesis import strategies as st

from veche.model import Tally


def test_tie_gives_several_winners() -> None:
    assert Tally((3, 5, 5)).winners() == [1, 2]


def test_no_votes_gives_no_winner() -> None:
    assert Tally((0, 0, 0)).winners() == []


@given(st.lists(st.integers(min_value=0, max_value=4), max_size=200))
def test_every_choice_is_counted_once(choices: list[int]) -> None:
    tally = Tally.count(5, choices)
    assert tally.total == len(choices)
    assert all(tally.votes[i] == choices.count(i) for i in range(5))
