"""The rules a single ballot must satisfy, in the contract's order."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from veche.crypto.errors import CryptoError
from veche.crypto.hashing import public_signals
from veche.model.ballot import Ballot, Rejection
from veche.model.calendar import Calendar
from veche.protocol.rules import revision_rejection

ProofCheck = Callable[[Sequence[int], Sequence[int]], bool]
"""Checks a packed proof against its public signals (see `veche.crypto.groth16`)."""


@dataclass(frozen=True)
class DistrictRules:
    """One district as the contract holds it once registration has closed."""

    option_count: int
    merkle_root: int
    """The frozen root of the district's register: registration closes before voting opens."""
    members: int
    minimum_members: int
    """Voting never opens in a district with fewer members: its voters would be too few to hide."""

    @property
    def open_for_voting(self) -> bool:
        return self.members >= self.minimum_members


@dataclass(frozen=True)
class ElectionRules:
    """What a ballot is checked against: everything here is public and fixed before voting."""

    calendar: Calendar
    scope: int
    """The election's scope (`Election.scope()`), before hashing into the circuit's signal."""
    districts: tuple[DistrictRules, ...]


def check_ballot(
    rules: ElectionRules, ballot: Ballot, stored_revision: int, proof_ok: ProofCheck
) -> Rejection | None:
    """Returns why `ballot` must be refused, or None if it is valid.

    The order is the contract's (`castBallot`): window, district, district size, choice, root,
    revision, proof. The proof comes last because it is the only expensive check.
    """
    if not rules.calendar.voting_open(ballot.cast_at):
        return Rejection.VOTING_CLOSED
    if not 0 <= ballot.district < len(rules.districts):
        return Rejection.UNKNOWN_DISTRICT
    district = rules.districts[ballot.district]
    if not district.open_for_voting:
        return Rejection.DISTRICT_BELOW_MINIMUM
    if not 0 <= ballot.choice < district.option_count:
        return Rejection.UNKNOWN_CHOICE
    if ballot.merkle_root != district.merkle_root:
        return Rejection.ROOT_MISMATCH
    revision_refused = revision_rejection(ballot.revision, stored_revision)
    if revision_refused is not None:
        return revision_refused
    try:
        signals = public_signals(
            ballot.merkle_root,
            ballot.nullifier,
            ballot.choice,
            ballot.revision,
            rules.scope,
            ballot.district,
        )
    except CryptoError:
        # A nullifier not below the field order (or a value out of a uint32) has no proof that
        # verifies: the contract's verifier returns false for it, so the ballot is refused, not
        # an error.
        return Rejection.INVALID_PROOF
    if not proof_ok(ballot.proof, signals):
        return Rejection.INVALID_PROOF
    return None
