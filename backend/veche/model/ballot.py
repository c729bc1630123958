"""A ballot as the chain records it, and the reasons a ballot can be refused."""

from dataclasses import dataclass
from enum import StrEnum


class Rejection(StrEnum):
    """Why a ballot does not count. The values are stable: they appear in recount records."""

    VOTING_CLOSED = "voting_closed"
    UNKNOWN_DISTRICT = "unknown_district"
    DISTRICT_BELOW_MINIMUM = "district_below_minimum"
    UNKNOWN_CHOICE = "unknown_choice"
    ROOT_MISMATCH = "root_mismatch"
    STALE_REVISION = "stale_revision"
    REVISION_GAP = "revision_gap"
    INVALID_PROOF = "invalid_proof"


@dataclass(frozen=True)
class Ballot:
    """One anonymous ballot, counted in `district` (the register its proof is made against).

    `proof` is the packed Groth16 proof (eight integers, see docs/PROTOCOL.md); `cast_at` is the
    timestamp of the block that holds the ballot (or, before submission, the time it is meant for).
    """

    nullifier: int
    district: int
    choice: int
    revision: int
    merkle_root: int
    proof: tuple[int, ...]
    cast_at: int
