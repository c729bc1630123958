"""A ballot as the chain records it, and the reasons a ballot can be refused."""

from dataclasses import dataclass

from veche.protocol.rejections import Rejection

__all__ = ["Ballot", "Rejection"]


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
