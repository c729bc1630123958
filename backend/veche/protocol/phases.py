"""The phases of an election, one vocabulary for the contract, the definition and the pages.

The contract (`IElection.Phase`) knows six phases; its last, `Final`, is split here at the
definition's `result` date into `counting` and `result`. Each phase opens at the first second of
its calendar key (`spec/protocol.json`, `phases[].opens`); windows are half-open `[start, end)`.
"""

from collections.abc import Mapping
from enum import StrEnum

from veche.protocol.spec import SPEC


class Phase(StrEnum):
    """Where an election stands at a moment; the values are the spec's names."""

    SETUP = "setup"
    REGISTRATION = "registration"
    WAITING = "waiting"
    VOTING = "voting"
    APPEALS = "appeals"
    COUNTING = "counting"
    RESULT = "result"

    @property
    def contract_index(self) -> int:
        """The number of this phase in the contract's `Phase` enum (`counting` and `result` are
        both `Final`)."""
        return _CONTRACT_INDEX[self]

    @property
    def opens(self) -> str | None:
        """The calendar key at which this phase opens (None for `setup`, which has no start)."""
        return _OPENS[self]

    @classmethod
    def of_contract(cls, index: int, result_published: bool = False) -> "Phase":
        """The phase the contract's number `index` stands for. The contract does not know the
        definition's result date: its `Final` is `counting` until a result is published on
        chain, then `result`."""
        matching = [phase for phase in cls if phase.contract_index == index]
        if not matching:
            raise ValueError(f"the contract has no phase number {index}")
        return matching[-1] if result_published else matching[0]


_CONTRACT_INDEX = {Phase(entry["name"]): int(entry["contract"]) for entry in SPEC["phases"]}
_OPENS: dict[Phase, str | None] = {Phase(entry["name"]): entry["opens"] for entry in SPEC["phases"]}


def phase_at(times: Mapping[str, int], now: int) -> Phase:
    """The phase at Unix time `now` under a calendar given as `{key: unix seconds}`.

    A phase whose key the calendar lacks is skipped: the contract's calendar has no `result`
    date, so after appeals it stays in `counting`, which is the contract's `Final`.
    """
    current = Phase.SETUP
    for phase in Phase:
        key = phase.opens
        if key is not None and key in times and times[key] <= now:
            current = phase
    return current
