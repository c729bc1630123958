"""The rules a single ballot must satisfy, in the contract's order."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from veche.crypto.hashing import public_signals
from veche.model.ballot import Ballot, Rejection
from veche.model.calendar import Calendar

ProofCheck = Callable[[Sequence[int], Sequence[int]], bool]
"""Checks a packed proof against its public signals (see `veche.crypto.groth16`)."""


@dataclass(frozen=True)
class ElectionRules:
    """What a ballot is checked against: everything here is public and fixed before voting."""

    option_count: int
    calendar: Calendar
    scope: int
    """The election's scope (`Election.scope()`), before hashing into the circuit's signal."""
    merkle_root: int
    """The frozen root of the register: registration closes before voting opens."""


def check_ballot(
    rules: ElectionRules, ballot: Ballot, stored_revision: int, proof_ok: ProofCheck
) -> Rejection | None:
    """Returns why `ballot` must be refused, or None if it is valid.

    The order is the contract's (`castBallot`): window, choice, root, revision, proof. The proof
    comes last because it is the only expensive check.
    """
    if not rules.calendar.voting_open(ballot.cast_at):
        return Rejection.VOTING_CLOSED
    if not 0 <= ballot.choice < rules.option_count:
        return Rejection.UNKNOWN_CHOICE
    if ballot.merkle_root != rules.merkle_root:
        return Rejection.ROOT_MISMATCH
    if ballot.revision <= stored_revision:
        return Rejection.STALE_REVISION
    signals = public_signals(
        ballot.merkle_root, ballot.nullifier, ballot.choice, ballot.revision, rules.scope
    )
    if not proof_ok(ballot.proof, signals):
        return Rejection.INVALID_PROOF
    return None
