"""The election calendar and the phase it gives at a moment.

Every window is half-open, `[start, end)`, in chain time (block timestamps, seconds), exactly as
the contract checks it: a ballot in the block whose timestamp equals `voting_end` is too late,
and appeals open in that very second.
"""

from dataclasses import dataclass

from veche.errors import VecheError
from veche.protocol.phases import Phase, phase_at

_FIELDS = ("registration_start", "registration_end", "voting_start", "voting_end", "appeals_end")


class CalendarError(VecheError):
    """The calendar's dates are not in order."""


@dataclass(frozen=True)
class Calendar:
    """The published calendar of an election, in Unix seconds."""

    registration_start: int
    registration_end: int
    voting_start: int
    voting_end: int
    appeals_end: int

    def __post_init__(self) -> None:
        if not (
            0
            <= self.registration_start
            < self.registration_end
            <= self.voting_start
            < self.voting_end
            < self.appeals_end
        ):
            raise CalendarError(
                "calendar must satisfy registration_start < registration_end <= voting_start "
                f"< voting_end < appeals_end, got {', '.join(map(str, self.as_tuple()))}"
            )

    @classmethod
    def unchecked(cls, *dates: int) -> "Calendar":
        """A calendar built without the order check: only to show that the contract refuses it."""
        calendar = object.__new__(cls)
        for name, value in zip(_FIELDS, dates, strict=True):
            object.__setattr__(calendar, name, value)
        return calendar

    def as_tuple(self) -> tuple[int, int, int, int, int]:
        """The calendar as the contract's `Calendar` struct."""
        return (
            self.registration_start,
            self.registration_end,
            self.voting_start,
            self.voting_end,
            self.appeals_end,
        )

    def registration_open(self, now: int) -> bool:
        return self.phase(now) is Phase.REGISTRATION

    def voting_open(self, now: int) -> bool:
        return self.phase(now) is Phase.VOTING

    def appeals_open(self, now: int) -> bool:
        return self.phase(now) is Phase.APPEALS

    def phase(self, now: int) -> Phase:
        """The phase the contract enforces at `now` (after appeals: `counting`, its `Final`)."""
        return phase_at(dict(zip(_FIELDS, self.as_tuple(), strict=True)), now)
