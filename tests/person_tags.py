"""Stand-in dedup tags for tests that are about registers, not about people.

A real tag comes from a quorum of dedup authorities (`veche.registrar.tagging`); tests of the
registers, ballots and recount need only distinct non-zero `bytes32` values, one per member.
"""

from collections.abc import Iterable

from eth_utils import keccak


def stand_in_tag(commitment: int) -> bytes:
    """A distinct, non-zero tag for `commitment` (keccak256 under a test-only prefix)."""
    return bytes(keccak(b"veche test person " + commitment.to_bytes(32, "big")))


def stand_in_tags(commitments: Iterable[int]) -> list[bytes]:
    """One stand-in tag per commitment, in order."""
    return [stand_in_tag(commitment) for commitment in commitments]
