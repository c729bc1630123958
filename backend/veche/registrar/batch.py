"""The registrar's pending batch: (district, commitment, tag) entries waiting to go on chain.

The file holds no personal data: a commitment is a random-looking number, and a tag cannot be
linked to a person without a quorum of authorities. It is rewritten atomically (a crash leaves
the old file or the new one) and only the registrar's account can read it.
"""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_utils import to_checksum_address

from veche.registrar.errors import BatchFileError

FORMAT = "veche-registrar-batch/v1"


@dataclass(frozen=True)
class PendingEntry:
    """One person to register."""

    district: int
    commitment: int
    tag: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "district": self.district,
            "commitment": str(self.commitment),
            "tag": "0x" + self.tag.hex(),
        }

    @classmethod
    def from_json(cls, data: Any) -> "PendingEntry":
        tag = bytes.fromhex(str(data["tag"]).removeprefix("0x"))
        if len(tag) != 32:
            raise ValueError("a tag is 32 bytes")
        return cls(int(data["district"]), int(data["commitment"]), tag)


@dataclass(frozen=True)
class InFlight:
    """A transaction signed for some of the entries, recorded before it was broadcast: the next
    submission follows it (the same bytes again) instead of registering them a second time."""

    entries: tuple[PendingEntry, ...]
    signed: dict[str, Any]
    """`veche.chain.transactions.Signed.to_json()`: the nonce and every signed version."""

    def to_json(self) -> dict[str, Any]:
        return {"entries": [entry.to_json() for entry in self.entries], "signed": self.signed}

    @classmethod
    def from_json(cls, data: Any) -> "InFlight":
        return cls(
            tuple(PendingEntry.from_json(entry) for entry in data["entries"]),
            dict(data["signed"]),
        )


@dataclass
class PendingBatch:
    """The entries waiting for one election on one chain."""

    chain_id: int
    election: str
    entries: list[PendingEntry] = field(default_factory=list)
    in_flight: InFlight | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": FORMAT,
            "chainId": self.chain_id,
            "election": self.election,
            "entries": [entry.to_json() for entry in self.entries],
        }
        if self.in_flight is not None:
            data["inFlight"] = self.in_flight.to_json()
        return data

    def holds_commitment(self, commitment: int) -> bool:
        return any(entry.commitment == commitment for entry in self.entries)

    def holds_tag(self, tag: bytes) -> bool:
        return any(entry.tag == tag for entry in self.entries)

    def count_in(self, district: int) -> int:
        return sum(1 for entry in self.entries if entry.district == district)


def load_batch(path: Path) -> PendingBatch:
    """Reads a batch file; raises `BatchFileError` with one line if it is unusable."""
    try:
        data = json.loads(Path(path).read_text())
        if data.get("format") != FORMAT:
            raise BatchFileError(f"{path} is not a Veche registrar batch")
        return PendingBatch(
            chain_id=int(data["chainId"]),
            election=to_checksum_address(data["election"]),
            entries=[PendingEntry.from_json(entry) for entry in data["entries"]],
            in_flight=None
            if data.get("inFlight") is None
            else InFlight.from_json(data["inFlight"]),
        )
    except OSError as error:
        raise BatchFileError(f"cannot read batch {path}: {error.strerror}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BatchFileError(f"batch {path} is malformed: {error}") from None


def open_batch(path: Path, chain_id: int, election: str) -> PendingBatch:
    """The batch at `path` (an empty one if there is no file), checked to be for this
    election."""
    if not Path(path).exists():
        return PendingBatch(chain_id, to_checksum_address(election))
    batch = load_batch(path)
    if (batch.chain_id, batch.election) != (chain_id, to_checksum_address(election)):
        raise BatchFileError(
            f"batch {path} is for election {batch.election} on chain {batch.chain_id}, "
            f"not {to_checksum_address(election)} on chain {chain_id}"
        )
    return batch


def save_batch(path: Path, batch: PendingBatch) -> None:
    """Writes the batch atomically, readable by its owner only."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(json.dumps(batch.to_json(), indent=2) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(target)
