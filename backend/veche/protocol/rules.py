"""The rules every part of Veche applies to public data: which revision may follow which, the
next revision a voter makes, and how a district's register is rebuilt from its events.

The contract enforces the same rules (`Election.castBallot`, `Election.addMembers`); the tests
of `tests/contracts/` compare it with the reference model, which calls these functions.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from veche.errors import VecheError
from veche.protocol.rejections import Rejection
from veche.protocol.spec import REVISION_STEP


def next_revision(stored: int, pending: int = 0) -> int:
    """The revision of a voter's next ballot: the step after both the revision the chain stores
    (0 if none) and any revision already handed to a relayer but not yet on chain (`pending`),
    so that a re-vote sent before the previous ballot lands follows it instead of colliding."""
    return max(stored, pending) + REVISION_STEP


def revision_rejection(revision: int, stored: int) -> Rejection | None:
    """Why a ballot of `revision` cannot follow the stored revision `stored`, or None if it can:
    exactly the next one (the contract's `_requireNextRevision`). A lower one would turn a
    re-vote back; a higher one could be the maximum, which nothing could follow, so a coercer
    holding the voter's secret could take away the voter's re-vote."""
    if revision <= stored:
        return Rejection.STALE_REVISION
    if revision != next_revision(stored):
        return Rejection.REVISION_GAP
    return None


@dataclass(frozen=True)
class RegisterGap:
    """A register's events do not place every leaf exactly once."""

    district: int
    index: int
    problem: str

    def __str__(self) -> str:
        return f"district {self.district}: member index {self.index} {self.problem}"


class IncompleteRegister(VecheError):
    """The events read cannot rebuild the register (missing, repeated or unknown entries)."""


def apply_replacements(
    registers: list[list[int]], replacements: Iterable[tuple[int, int, int, int]]
) -> list[RegisterGap]:
    """Applies `(district, index, old, new)` of every `MemberReplaced` event, in chain order, to
    the leaf lists of `registers_from_members` (a lost key's leaf now holds the new commitment),
    and returns every replacement the leaves contradict: a leaf never added, or one that does
    not hold the old commitment the event names (events forged or out of order)."""
    gaps: list[RegisterGap] = []
    for district, index, old, new in replacements:
        if not 0 <= district < len(registers) or not 0 <= index < len(registers[district]):
            gaps.append(RegisterGap(district, index, "is replaced but was never added"))
            continue
        leaves = registers[district]
        if leaves[index] != old:
            gaps.append(
                RegisterGap(
                    district, index, f"is replaced from {old}, but it holds {leaves[index]}"
                )
            )
        leaves[index] = new
    return gaps


def registers_from_members(
    members: Iterable[tuple[int, int, int]], district_count: int
) -> tuple[list[list[int]], list[RegisterGap]]:
    """Each district's commitments in leaf order from `(district, index, commitment)` of every
    `MemberAdded` event, placed by the event's leaf index (never by the order the events arrived
    in), and every way the events fail to place leaves 0..n-1 exactly once (a district outside
    `0..district_count-1` included)."""
    placed: list[dict[int, int]] = [{} for _ in range(district_count)]
    gaps: list[RegisterGap] = []
    for district, index, commitment in members:
        if not 0 <= district < district_count:
            gaps.append(RegisterGap(district, index, "names an unknown district"))
            continue
        leaves = placed[district]
        if index in leaves:
            gaps.append(RegisterGap(district, index, "is added twice"))
            continue
        leaves[index] = commitment
    registers: list[list[int]] = []
    for district, leaves in enumerate(placed):
        missing = [index for index in range(max(leaves, default=-1) + 1) if index not in leaves]
        gaps.extend(RegisterGap(district, index, "is missing") for index in missing)
        registers.append([leaves[index] for index in sorted(leaves)])
    return registers, gaps
