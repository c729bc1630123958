"""The calendar's phases change exactly at the published times (one second either side)."""

import pytest

from tests.definition.texts import VALID, edit
from veche.definition import ElectionCalendar, Phase, parse_text

CALENDAR = ElectionCalendar(100, 200, 250, 300, 400, 500)


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
        (499, Phase.COUNTING),
        (500, Phase.RESULT),
    ],
)
def test_phase_changes_exactly_at_each_time(now: int, phase: Phase) -> None:
    assert CALENDAR.phase(now) == phase


def test_phase_end_is_the_next_time_in_the_calendar() -> None:
    assert CALENDAR.phase_end(99) == 100
    assert CALENDAR.phase_end(300) == 400
    assert CALENDAR.phase_end(500) is None


def test_times_with_other_offsets_mean_the_same_moment() -> None:
    text = edit(
        VALID, "voting_end = 2027-04-05T00:00:00Z", 'voting_end = "2027-04-05T03:00:00+03:00"'
    )
    utc, _ = parse_text(VALID)
    moscow, problems = parse_text(text)
    assert problems == []
    assert utc is not None and moscow is not None
    assert moscow.calendar == utc.calendar
    assert utc.calendar.voting_end == 1806883200  # 2027-04-05T00:00:00Z
