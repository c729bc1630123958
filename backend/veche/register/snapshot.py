"""Register snapshots: one compact file per district, the commitments in leaf order, that any
static host or relayer can serve so that a voter's page need not read a million logs.

A snapshot is made from chain data alone and trusted by nobody: whoever reads one rebuilds the
register's root from its commitments and refuses it unless that root is the one the contract
holds for the district. It names no voter: it is the public register, in the order the chain
logged it.

File layout (all integers big-endian):

    magic    8 bytes   b"VECHSNP1"
    chainId  8 bytes
    election 20 bytes  the Election contract's address
    district 4 bytes   the district's number (0-based, the definition's order)
    block    8 bytes   the block the register was read at
    count    4 bytes   the number of commitments
    root     32 bytes  the register's root (0 when empty)
    commitments        count x 32 bytes, leaf 0 first
"""

import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path

from veche.crypto.errors import CryptoError
from veche.crypto.imt import LeanIMT
from veche.crypto.imt_parallel import build_registers
from veche.errors import VecheError

MAGIC = b"VECHSNP1"
_HEADER = struct.Struct(">8sQ20sIQI32s")
HEADER_BYTES = _HEADER.size
"""84 bytes before the commitments."""


class SnapshotError(VecheError):
    """A snapshot file is malformed, or its commitments do not give the root it claims or the
    root the chain holds."""


@dataclass(frozen=True)
class Snapshot:
    """One district's register as a snapshot file holds it."""

    chain_id: int
    election: str
    """`0x` hex, lower case."""
    district: int
    block: int
    root: int
    commitments: list[int]

    def to_bytes(self) -> bytes:
        header = _HEADER.pack(
            MAGIC,
            self.chain_id,
            bytes.fromhex(self.election[2:]),
            self.district,
            self.block,
            len(self.commitments),
            self.root.to_bytes(32, "big"),
        )
        return header + b"".join(c.to_bytes(32, "big") for c in self.commitments)

    @classmethod
    def from_bytes(cls, data: bytes, what: str = "the snapshot") -> "Snapshot":
        """Parses `data`; raises `SnapshotError` for a malformed file (not yet for a wrong
        root: see `verified_tree`)."""
        if len(data) < HEADER_BYTES:
            raise SnapshotError(f"{what} is {len(data)} bytes, shorter than a header")
        magic, chain_id, election, district, block, count, root = _HEADER.unpack_from(data)
        if magic != MAGIC:
            raise SnapshotError(f"{what} is not a Veche register snapshot (magic {magic!r})")
        body = data[HEADER_BYTES:]
        if len(body) != 32 * count:
            raise SnapshotError(
                f"{what} says it holds {count} commitments but has {len(body)} bytes of them "
                f"(expected {32 * count})"
            )
        commitments = [int.from_bytes(body[i : i + 32], "big") for i in range(0, len(body), 32)]
        return cls(
            chain_id,
            "0x" + election.hex(),
            district,
            block,
            int.from_bytes(root, "big"),
            commitments,
        )

    def verified_tree(self, chain_root: int, what: str = "the snapshot") -> LeanIMT:
        """The register rebuilt from the commitments, if its root is both the one the file
        claims and `chain_root` (the contract's); raises `SnapshotError` otherwise."""
        try:
            (tree,) = build_registers([self.commitments])
        except CryptoError as error:
            raise SnapshotError(f"{what} holds a commitment no register admits: {error}") from None
        if tree.root != self.root:
            raise SnapshotError(
                f"{what}'s commitments give root {tree.root}, not the {self.root} it claims: "
                "the file was altered"
            )
        if tree.root != chain_root:
            raise SnapshotError(
                f"{what} has root {tree.root}, but district {self.district}'s register on chain "
                f"has root {chain_root}: refusing it"
            )
        return tree


def file_name(district_id: str) -> str:
    """The snapshot's file name for a district (its definition id)."""
    return f"register-{district_id}.bin"


def digest(data: bytes) -> str:
    """The sha256 a manifest lists for a snapshot file."""
    return hashlib.sha256(data).hexdigest()


def write(snapshot: Snapshot, folder: Path, district_id: str) -> tuple[Path, bytes]:
    from veche.cli.common import write_atomically

    data = snapshot.to_bytes()
    path = folder / file_name(district_id)
    write_atomically(path, data)
    return path, data
