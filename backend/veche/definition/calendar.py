"""The election calendar of a definition, and the phase it gives at a moment.

Windows are half-open, `[start, end)`, in Unix seconds (chain time), as the contract checks
them: at exactly `voting_end` voting is over. Appeals open when voting closes.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from veche.model.calendar import Calendar
from veche.protocol.phases import Phase, phase_at

CALENDAR_KEYS = (
    "registration_start",
    "registration_end",
    "voting_start",
    "voting_end",
    "appeals_end",
    "result",
)
"""The calendar's keys in the order their times must follow."""

STRICTLY_BEFORE = {
    ("registration_start", "registration_end"),
    ("voting_start", "voting_end"),
    ("voting_end", "appeals_end"),
}
"""Pairs of consecutive keys whose window must not be empty; other pairs may be equal."""


@dataclass(frozen=True)
class ElectionCalendar:
    """The published calendar, in Unix seconds. `parse` guarantees the order of `CALENDAR_KEYS`."""

    registration_start: int
    registration_end: int
    voting_start: int
    voting_end: int
    appeals_end: int
    result: int

    @property
    def on_chain(self) -> Calendar:
        """The part of the calendar the contract enforces: every date but the result's."""
        return Calendar(
            self.registration_start,
            self.registration_end,
            self.voting_start,
            self.voting_end,
            self.appeals_end,
        )

    def phase(self, now: int) -> Phase:
        """The phase at Unix time `now`: the contract's phase, with its final phase split at
        the date the result is due."""
        return phase_at(self.times(), now)

    def phase_end(self, now: int) -> int | None:
        """When the phase at `now` ends (None for the last phase, which never ends)."""
        return next((time for time in self.times().values() if now < time), None)

    def times(self) -> dict[str, int]:
        """The calendar as `{key: unix seconds}`, in order."""
        return {key: getattr(self, key) for key in CALENDAR_KEYS}


def iso(seconds: int) -> str:
    """A Unix time as ISO-8601 in UTC (`2027-03-01T00:00:00Z`)."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
