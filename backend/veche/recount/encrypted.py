"""The tally of an encrypted election: homomorphic sums of the ballots that count, then the
trustees' partial decryptions from the chain, each verified, and `k` valid ones combined.

Which ballots count is decided exactly as in a plain election (the ballot box's replay: latest
revision per nullifier, the window, the recorded mode's rules); this module only adds up the
ciphertexts of those ballots per district (`veche.crypto.elgamal.CiphertextSum`) and turns the
trustees' published data into counts (`veche.trustees.decrypt.combine`). No single ballot is
ever decrypted: only a district's sum is, and only once `k` trustees publish their share of it.

Anyone may send `publishDecryption` for any trustee (the DLEQ proof is the authority), so a
published entry that does not verify is reported, by trustee and district, and ignored: junk
cannot block the count while `k` valid ones exist.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from veche.crypto.elgamal import CIPHERTEXT_BYTES, CiphertextSum
from veche.model import Tally
from veche.trustees.decrypt import DistrictSum, combine, district_sum, verify_partial
from veche.trustees.errors import CountNotFound, DecryptionError, TooFewTrustees
from veche.trustees.key import ElectionKey

COORDINATE_BYTES = 32


def ciphertext_signals(ciphertext: bytes) -> list[int]:
    """The 34 public signals a ballot's 1088 ciphertext bytes stand for (R, then C_0..C_15, x
    before y); a value at or above the field order makes the proof fail, as on chain."""
    if len(ciphertext) != CIPHERTEXT_BYTES:
        raise ValueError(f"a ciphertext is {CIPHERTEXT_BYTES} bytes, got {len(ciphertext)}")
    return [
        int.from_bytes(ciphertext[k : k + COORDINATE_BYTES], "big")
        for k in range(0, CIPHERTEXT_BYTES, COORDINATE_BYTES)
    ]


def district_sums(
    options: Sequence[int], counted: Iterable[tuple[int, bytes]]
) -> list[DistrictSum]:
    """Each district's homomorphic sum (`options[d]` options) over `counted`: the district and
    ciphertext of every ballot that counts, one per voter."""
    accumulators = [CiphertextSum() for _ in options]
    for district, ciphertext in counted:
        accumulators[district].add_encoded(ciphertext)
    return [
        district_sum(number, count, accumulator)
        for number, (count, accumulator) in enumerate(zip(options, accumulators, strict=True))
    ]


class DecryptionStatus(StrEnum):
    PENDING = "pending"
    """No valid partial decryption yet: only the turnout is known."""
    DECRYPTED = "decrypted"
    UNDECRYPTABLE = "undecryptable"
    """Partial decryptions were published, but fewer than `k` valid (or a count does not fit)."""


@dataclass(frozen=True)
class Published:
    """One `DecryptionPublished` log."""

    trustee: int
    sender: str
    data: bytes
    tx: str


@dataclass
class Decryption:
    """What the recount made of the trustees' published data."""

    status: DecryptionStatus
    threshold: int
    sums: list[DistrictSum]
    tallies: list[Tally] | None = None
    trustees: list[int] = field(default_factory=list)
    """The `k` trustees whose data was combined."""
    refused: list[str] = field(default_factory=list)
    """Published data that did not verify, one sentence each (trustee, district, transaction)."""
    reason: str = ""
    """Why the result cannot be decrypted (UNDECRYPTABLE)."""

    def record(self) -> dict[str, Any]:
        return {
            "status": str(self.status),
            "threshold": self.threshold,
            "trustees": self.trustees,
            "refused": self.refused,
            "reason": self.reason or None,
            "ballots": [s.ballots for s in self.sums],
        }


def decrypt(
    key: ElectionKey, sums: Sequence[DistrictSum], published: Iterable[Published]
) -> Decryption:
    """The counts from the trustees' data on chain. Each trustee's first entry that verifies is
    used (a later copy, or junk sent in its name, changes nothing); every entry that does not
    verify is named in `refused`."""
    valid: dict[int, bytes] = {}
    refused: list[str] = []
    for entry in published:
        if entry.trustee in valid:
            continue
        try:
            verify_partial(key, sums, entry.trustee, entry.data)
        except DecryptionError as error:
            refused.append(f"{error} (transaction {entry.tx}, sent by {entry.sender}): ignored")
            continue
        valid[entry.trustee] = entry.data
    if not valid and not refused:
        return Decryption(DecryptionStatus.PENDING, key.threshold, list(sums))
    try:
        tally = combine(key, sums, valid)
    except TooFewTrustees:
        reason = (
            f"the result cannot be decrypted: {len(valid)} valid partial decryption(s) "
            f"(trustees {sorted(valid) or 'none'}), {key.threshold} needed"
        )
        return Decryption(
            DecryptionStatus.UNDECRYPTABLE,
            key.threshold,
            list(sums),
            refused=refused,
            reason=reason,
        )
    except CountNotFound as error:
        return Decryption(
            DecryptionStatus.UNDECRYPTABLE,
            key.threshold,
            list(sums),
            refused=refused,
            reason=f"the result cannot be decrypted: {error}",
        )
    tallies = [Tally(tuple(tally.counts[s.district])) for s in sums]
    return Decryption(
        DecryptionStatus.DECRYPTED,
        key.threshold,
        list(sums),
        tallies=tallies,
        trustees=tally.trustees,
        refused=refused,
    )


def turnout(
    ids: Sequence[str], registered: Sequence[int], sums: Sequence[DistrictSum]
) -> dict[str, Any]:
    """What an encrypted election shows before decryption: ballots counted per district, no
    votes (no tally exists until the trustees decrypt the sums)."""
    return {
        "format": "veche-turnout/1",
        "districts": [
            {"id": district, "registered": members, "ballots": s.ballots}
            for district, members, s in zip(ids, registered, sums, strict=True)
        ],
        "registered": sum(registered),
        "ballots": sum(s.ballots for s in sums),
    }


def counted_ciphertexts(
    current: Mapping[int, Any], positions: Mapping[int, int], ciphertexts: Sequence[bytes]
) -> Iterable[tuple[int, bytes]]:
    """`(district, ciphertext)` of every voter's ballot that counts: `current` is the ballot
    box's counted ballot per nullifier, `positions` the stream position it was cast at."""
    for nullifier, ballot in current.items():
        yield ballot.district, ciphertexts[positions[nullifier]]
