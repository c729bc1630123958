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

import itertools
import multiprocessing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from veche.crypto.elgamal import CiphertextSum, add
from veche.model import Tally
from veche.trustees.decrypt import DistrictSum, combine, verify_partial
from veche.trustees.errors import CountNotFound, DecryptionError, TooFewTrustees
from veche.trustees.key import ElectionKey

PARALLEL_FROM = 20_000
"""Fewer counted ballots are summed in this process (forking costs more than it saves)."""

_rows: Sequence[tuple[int, bytes]] = ()
"""The rows the forked workers sum (inherited, never pickled: a million is a gigabyte)."""


def district_sums(
    options: Sequence[int], counted: Iterable[tuple[int, bytes]], *, workers: int = 1
) -> list[DistrictSum]:
    """Each district's homomorphic sum (`options[d]` options) over `counted`: the district and
    ciphertext of every ballot that counts, one per voter. `workers` processes each sum a slice
    of the ballots; their partial sums are added (the sum is the same in any order)."""
    global _rows
    rows = counted if isinstance(counted, Sequence) else list(counted)
    if workers <= 1 or len(rows) < PARALLEL_FROM:
        parts = [_partial_sums(len(options), rows)]
    else:
        _rows = rows
        step = -(-len(rows) // workers)
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                parts = pool.map(
                    _slice_sums, [(len(options), i, i + step) for i in range(0, len(rows), step)]
                )
        finally:
            _rows = ()
    sums = []
    for number, count in enumerate(options):
        ballots, total = 0, None
        for part in parts:
            n, ciphertext = part[number]
            ballots += n
            total = ciphertext if total is None else add(total, ciphertext)
        assert total is not None
        sums.append(DistrictSum(number, count, ballots, total).check())
    return sums


def _partial_sums(districts: int, rows: Iterable[tuple[int, bytes]]) -> list[tuple[int, Any]]:
    accumulators = [CiphertextSum() for _ in range(districts)]
    for district, ciphertext in rows:
        accumulators[district].add_encoded(ciphertext)
    return [(a.count, a.result()) for a in accumulators]


def _slice_sums(job: tuple[int, int, int]) -> list[tuple[int, Any]]:
    districts, start, stop = job
    return _partial_sums(districts, itertools.islice(_rows, start, stop))


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
