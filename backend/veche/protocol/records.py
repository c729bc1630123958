"""The ballot modes, and the records of the "recorded" mode: one definition of their layout.

An election takes its ballots in one of `spec/protocol.json`'s `ballotModes` (named in the
definition, fixed in the contract's `BallotMode`). In the recorded mode authorised relayer
accounts post batches of records (`Election.recordBallots`), `RECORD_BYTES` each, big-endian,
without padding: nullifier, packed proof, district, choice, revision. A batch is known by
`keccak256(relayer || records)` (`batch_key`), which a challenge presents again.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from eth_utils import keccak, to_canonical_address

from veche.errors import VecheError
from veche.protocol.spec import (
    BALLOT_MODES,
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


_WIDTHS = dict(RECORD_LAYOUT)
if sum(_WIDTHS.values()) != RECORD_BYTES or list(_WIDTHS) != [
    "nullifier",
    "proof",
    "district",
    "choice",
    "revision",
]:
    raise RuntimeError("spec/protocol.json: ballotModes.record.layout is not the one coded here")


def encode_record(record: BallotRecord) -> bytes:
    """The record's `RECORD_BYTES` bytes; `MalformedRecords` if a field does not fit."""
    if len(record.proof) != PROOF_ELEMENTS:
        raise MalformedRecords(f"a proof has {PROOF_ELEMENTS} numbers, got {len(record.proof)}")
    parts = []
    for name, width in RECORD_LAYOUT:
        values = record.proof if name == "proof" else (getattr(record, name),)
        size = width // len(values)
        for value in values:
            if not 0 <= value < 1 << (8 * size):
                raise MalformedRecords(f"record {name} {value} does not fit {size} bytes")
            parts.append(value.to_bytes(size, "big"))
    return b"".join(parts)


def encode_records(records: Iterable[BallotRecord]) -> bytes:
    """A batch: the records' bytes one after the other."""
    return b"".join(encode_record(record) for record in records)


def decode_records(data: bytes) -> list[BallotRecord]:
    """The records of a batch (`MalformedRecords` if `data` is not a whole number of them)."""
    if not data or len(data) % RECORD_BYTES:
        raise MalformedRecords(
            f"{len(data)} bytes is not a whole number of {RECORD_BYTES}-byte records"
        )
    records = []
    for start in range(0, len(data), RECORD_BYTES):
        at = start
        fields: dict[str, object] = {}
        for name, width in RECORD_LAYOUT:
            chunk = data[at : at + width]
            at += width
            if name == "proof":
                fields[name] = tuple(
                    int.from_bytes(chunk[i : i + 32], "big") for i in range(0, width, 32)
                )
            else:
                fields[name] = int.from_bytes(chunk, "big")
        records.append(BallotRecord(**fields))  # type: ignore[arg-type]
    return records


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
