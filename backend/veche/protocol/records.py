"""The ballot modes and secrecies, and the records of the "recorded" mode: one definition of
their layout.

An election takes its ballots in one of `spec/protocol.json`'s `ballotModes` (named in the
definition, fixed in the contract's `BallotMode`), plain or encrypted (`encryption.secrecies`,
the contract's `BallotSecrecy`). In the recorded mode authorised relayer accounts post batches
of records (`Election.recordBallots`), big-endian, without padding: nullifier, packed proof,
district, choice, revision (`RECORD_BYTES`), or in an encrypted election nullifier, packed
proof, district, revision, ciphertext (`ENCRYPTED_RECORD_BYTES`). A batch is known by
`keccak256(relayer || records)` (`batch_key`), which a challenge presents again.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from eth_utils import keccak, to_canonical_address

from veche.errors import VecheError
from veche.protocol.spec import (
    BALLOT_MODES,
    BALLOT_SECRECIES,
    CIPHERTEXT_BYTES,
    ENCRYPTED_RECORD_BYTES,
    ENCRYPTED_RECORD_LAYOUT,
    MAX_RECORDS_PER_BATCH,
    PROOF_ELEMENTS,
    RECORD_BYTES,
    RECORD_LAYOUT,
)


class BallotMode(StrEnum):
    """How an election takes its ballots (`ballot_mode` in the definition)."""

    VERIFIED = "verified"
    """Every proof verified on chain; the contract keeps each voter's ballot."""
    RECORDED = "recorded"
    """Authorised relayers post unverified records; every recount verifies every proof."""

    @property
    def contract(self) -> int:
        """The contract's `BallotMode` value."""
        return BALLOT_MODES.index(self.value)

    @classmethod
    def of_contract(cls, value: int) -> "BallotMode":
        return cls(BALLOT_MODES[value])


class BallotSecrecy(StrEnum):
    """What a ballot carries (`ballot_secrecy` in the definition)."""

    PLAIN = "plain"
    """The choice in plain text."""
    ENCRYPTED = "encrypted"
    """An ElGamal ciphertext of the choice under the election key (`CIPHERTEXT_BYTES`)."""

    @property
    def contract(self) -> int:
        """The contract's `BallotSecrecy` value."""
        return BALLOT_SECRECIES.index(self.value)

    @classmethod
    def of_contract(cls, value: int) -> "BallotSecrecy":
        return cls(BALLOT_SECRECIES[value])

    @property
    def record_bytes(self) -> int:
        """The size of one of the recorded mode's records."""
        return ENCRYPTED_RECORD_BYTES if self is BallotSecrecy.ENCRYPTED else RECORD_BYTES


class MalformedRecords(VecheError):
    """Bytes that are not a whole number of records, or a record out of its fields' ranges."""


@dataclass(frozen=True, slots=True)
class BallotRecord:
    """One recorded ballot as the chain holds it (no root: the district's frozen one)."""

    nullifier: int
    proof: tuple[int, ...]
    district: int
    choice: int
    revision: int


@dataclass(frozen=True, slots=True)
class EncryptedBallotRecord:
    """One recorded encrypted ballot: a ciphertext (`CIPHERTEXT_BYTES`) instead of a choice."""

    nullifier: int
    proof: tuple[int, ...]
    district: int
    revision: int
    ciphertext: bytes


def ciphertext_words(ciphertext: bytes) -> list[int]:
    """The ciphertext's 34 numbers (`R.x, R.y, C_0.x, ...`), as the contract and the proof
    take them; `MalformedRecords` unless it is `CIPHERTEXT_BYTES` long."""
    if len(ciphertext) != CIPHERTEXT_BYTES:
        raise MalformedRecords(f"a ciphertext is {CIPHERTEXT_BYTES} bytes, got {len(ciphertext)}")
    return [int.from_bytes(ciphertext[i : i + 32], "big") for i in range(0, CIPHERTEXT_BYTES, 32)]


def ciphertext_bytes(words: Sequence[int]) -> bytes:
    """The ciphertext's bytes from its 34 numbers (`MalformedRecords` if one does not fit)."""
    if len(words) * 32 != CIPHERTEXT_BYTES or any(not 0 <= w < 1 << 256 for w in words):
        raise MalformedRecords(f"a ciphertext is {CIPHERTEXT_BYTES // 32} numbers of 32 bytes")
    return b"".join(word.to_bytes(32, "big") for word in words)


_LAYOUTS = {
    BallotRecord: (
        dict(RECORD_LAYOUT),
        RECORD_BYTES,
        ["nullifier", "proof", "district", "choice", "revision"],
    ),
    EncryptedBallotRecord: (
        dict(ENCRYPTED_RECORD_LAYOUT),
        ENCRYPTED_RECORD_BYTES,
        ["nullifier", "proof", "district", "revision", "ciphertext"],
    ),
}
for _widths, _size, _fields in _LAYOUTS.values():
    if sum(_widths.values()) != _size or list(_widths) != _fields:
        raise RuntimeError("spec/protocol.json: a record layout is not the one coded here")

AnyRecord = TypeVar("AnyRecord", BallotRecord, EncryptedBallotRecord)


def encode_record(record: BallotRecord | EncryptedBallotRecord) -> bytes:
    """The record's bytes; `MalformedRecords` if a field does not fit."""
    if len(record.proof) != PROOF_ELEMENTS:
        raise MalformedRecords(f"a proof has {PROOF_ELEMENTS} numbers, got {len(record.proof)}")
    widths = _LAYOUTS[type(record)][0]
    parts = []
    for name, width in widths.items():
        if name == "ciphertext":
            ciphertext_words(getattr(record, name))  # checks its length
            parts.append(bytes(getattr(record, name)))
            continue
        values = record.proof if name == "proof" else (getattr(record, name),)
        size = width // len(values)
        for value in values:
            if not 0 <= value < 1 << (8 * size):
                raise MalformedRecords(f"record {name} {value} does not fit {size} bytes")
            parts.append(value.to_bytes(size, "big"))
    return b"".join(parts)


def encode_records(records: Iterable[BallotRecord | EncryptedBallotRecord]) -> bytes:
    """A batch: the records' bytes one after the other."""
    return b"".join(encode_record(record) for record in records)


def _decode(data: bytes, kind: type[AnyRecord]) -> list[AnyRecord]:
    widths, size, _ = _LAYOUTS[kind]
    if not data or len(data) % size:
        raise MalformedRecords(f"{len(data)} bytes is not a whole number of {size}-byte records")
    records = []
    for start in range(0, len(data), size):
        at = start
        fields: dict[str, object] = {}
        for name, width in widths.items():
            chunk = data[at : at + width]
            at += width
            if name == "proof":
                fields[name] = tuple(
                    int.from_bytes(chunk[i : i + 32], "big") for i in range(0, width, 32)
                )
            elif name == "ciphertext":
                fields[name] = bytes(chunk)
            else:
                fields[name] = int.from_bytes(chunk, "big")
        records.append(kind(**fields))  # type: ignore[arg-type]
    return records


def decode_records(data: bytes) -> list[BallotRecord]:
    """The records of a plain election's batch (`MalformedRecords` if `data` is not a whole
    number of them)."""
    return _decode(data, BallotRecord)


def decode_encrypted_records(data: bytes) -> list[EncryptedBallotRecord]:
    """The records of an encrypted election's batch (`MalformedRecords` if `data` is not a
    whole number of them)."""
    return _decode(data, EncryptedBallotRecord)


def batch_key(relayer: str | bytes, records: bytes) -> bytes:
    """The key the contract stores a batch under: keccak256 of the relayer's 20 bytes, then the
    records."""
    return bytes(keccak(to_canonical_address(relayer) + records))


def batches(
    records: Sequence[BallotRecord], size: int = MAX_RECORDS_PER_BATCH
) -> list[list[BallotRecord]]:
    """`records` cut in order into batches of at most `size` (at most the contract's maximum)."""
    if not 1 <= size <= MAX_RECORDS_PER_BATCH:
        raise VecheError(f"a batch holds 1 to {MAX_RECORDS_PER_BATCH} records, not {size}")
    return [list(records[i : i + size]) for i in range(0, len(records), size)]
