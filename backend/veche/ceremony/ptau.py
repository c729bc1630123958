"""The phase-1 file (powers of tau) a ceremony starts from, and its published hash.

Groth16 needs a universal phase 1 plus a circuit-specific phase 2. Phase 1 is taken from a
public ceremony that many independent people attended; the file is downloaded by hand on a
connected machine and checked here against the BLAKE2b-512 hash its publishers printed (the
snarkjs README lists it for every size). Any other file, such as a powers of tau made for a test,
is accepted only when its hash is given explicitly (`--ptau-hash`).
"""

import hashlib
from pathlib import Path

from veche.ceremony.errors import CeremonyError, PtauHashMismatch

RECOMMENDED_PTAU = "powersOfTau28_hez_final_13.ptau"
"""The Hermez (Polygon) final powers of tau of 2^13 points, built on Perpetual Powers of Tau:
enough for the depth-20 ballot circuit (6,431 constraints); 9,520,280 bytes."""

RECOMMENDED_PTAU_BLAKE2B = (
    "58efc8bf2834d04768a3d7ffcd8e1e23d461561729beaac4e3e7a47829a1c906"
    "6d5320241e124a1a8e8aa6c75be0ba66f65bc8239a0542ed38e11276f6fdb4d9"
)
"""Its BLAKE2b-512 as published in the snarkjs README (`b2sum powersOfTau28_hez_final_13.ptau`)."""


def blake2b_file(path: Path) -> str:
    """BLAKE2b-512 of a file, hex (what `b2sum` prints)."""
    digest = hashlib.blake2b(digest_size=64)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def normalise_hash(text: str) -> str:
    value = text.strip().lower().removeprefix("0x").replace(" ", "")
    if len(value) != 128 or any(c not in "0123456789abcdef" for c in value):
        raise CeremonyError(
            f"--ptau-hash {text!r} is not a BLAKE2b-512 hash (128 hex digits, as `b2sum` prints)"
        )
    return value


def check_ptau(path: Path, expected: str | None = None) -> str:
    """Returns the file's hash if it equals `expected` (default: the recommended file's)."""
    if not path.is_file():
        raise CeremonyError(f"powers-of-tau file not found: {path}")
    want = normalise_hash(expected) if expected else RECOMMENDED_PTAU_BLAKE2B
    found = blake2b_file(path)
    if found != want:
        which = "the given --ptau-hash" if expected else f"the published {RECOMMENDED_PTAU}"
        raise PtauHashMismatch(
            f"{path} has BLAKE2b-512 {found[:16]}..., not {which} ({want[:16]}...): "
            "refusing to start from an unknown powers of tau"
        )
    return found
