"""The calendar: half-open windows in chain time, as the contract enforces them."""

import pytest

from veche.model import Calendar, Phase
from veche.model.calendar import CalendarError

CAL = Calendar(100, 200, 250, 300)


@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (99, Phase.NOT_STARTED),
        (100, Phase.REGISTRATION),
        (199, Phase.REGISTRATION),
        (200, Phase.BETWEEN),
        (249, Phase.BETWEEN),
        (250, Phase.VOTING),
        (299, Phase.VOTING),
        (300, Phase.CLOSED),
    ],
)
def test_phase_changes_exactly_at_each_boundary(now: int, phase: Phase) -> None:
    assert CAL.phase(now) == phase
    assert CAL.voting_open(now) == (phase == Phase.VOTING)
    assert CAL.registration_open(now) == (phase == Phase.REGISTRATION)


@pytest.mark.parametrize(
    "dates",
    [(200, 100, 250, 300), (100, 200, 150, 300), (100, 200, 250, 250), (100, 100, 250, 300)],
)
def test_calendar_out_of_order_is_refused(dates: tuple[int, int, int, int]) -> None:
    with pytest.raises(CalendarError, match="registration_start < registration_end"):
        Calendar(*dates)
