"""The calendar: half-open windows in chain time, as the contract enforces them."""

import pytest

from veche.model import Calendar, Phase
from veche.model.calendar import CalendarError

CAL = Calendar(100, 200, 250, 300, 400)


@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (99, Phase.SETUP),
        (100, Phase.REGISTRATION),
        (199, Phase.REGISTRATION),
        (200, Phase.WAITING),
        (249, Phase.WAITING),
        (250, Phase.VOTING),
        (299, Phase.VOTING),
        (300, Phase.APPEALS),
        (399, Phase.APPEALS),
        (400, Phase.COUNTING),
    ],
)
def test_phase_changes_exactly_at_each_boundary(now: int, phase: Phase) -> None:
    assert CAL.phase(now) == phase
    assert CAL.voting_open(now) == (phase == Phase.VOTING)
    assert CAL.registration_open(now) == (phase == Phase.REGISTRATION)
    assert CAL.appeals_open(now) == (phase == Phase.APPEALS)


def test_phases_are_in_the_contracts_order() -> None:
    """`IElection.Phase` numbers Setup..Final 0..5; the contract's `Final` is `counting` until
    the definition's result date, then `result`."""
    assert [(phase.value, phase.contract_index) for phase in Phase] == [
        ("setup", 0),
        ("registration", 1),
        ("waiting", 2),
        ("voting", 3),
        ("appeals", 4),
        ("counting", 5),
        ("result", 5),
    ]
    assert [Phase.of_contract(number) for number in range(6)] == list(Phase)[:6]


def test_registration_may_end_the_second_voting_starts() -> None:
    assert Calendar(100, 200, 200, 300, 400).phase(200) == Phase.VOTING


@pytest.mark.parametrize(
    "dates",
    [
        (200, 100, 250, 300, 400),
        (100, 200, 150, 300, 400),
        (100, 200, 250, 250, 400),
        (100, 100, 250, 300, 400),
        (100, 200, 250, 300, 300),
        (100, 200, 250, 300, 299),
    ],
)
def test_calendar_out_of_order_is_refused(dates: tuple[int, int, int, int, int]) -> None:
    with pytest.raises(CalendarError, match="voting_end < appeals_end"):
        Calendar(*dates)


def test_unchecked_builds_a_calendar_the_contract_must_refuse() -> None:
    calendar = Calendar.unchecked(300, 200, 100, 50, 10)
    assert calendar.as_tuple() == (300, 200, 100, 50, 10)
