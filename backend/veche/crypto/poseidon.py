"""Poseidon over BN254 with circomlib's constants, as the circuit, `poseidon-lite` and
`poseidon-solidity` compute it.

The register's inner nodes, identity commitments, nullifiers and EdDSA challenges are Poseidon
hashes; any mismatch with the circuit would make every proof fail, so this module only wraps the
Rust `light-poseidon` (checked against `poseidon-lite` in `tests/vectors/poseidon.json`) and adds
the range check it lacks in a form users can read.
"""

from collections.abc import Sequence
from functools import cache

from light_poseidon_python import Hasher

from veche.crypto.errors import CryptoError
from veche.crypto.field import require_field_element

MAX_INPUTS = 12
"""`light-poseidon` has constants for 1 to 12 inputs (circomlib's first 12 widths)."""


class PoseidonArityError(CryptoError):
    """Poseidon was asked to hash no input or more inputs than it has constants for."""

    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__(f"Poseidon takes 1 to {MAX_INPUTS} inputs, got {count}")


@cache
def _hasher(arity: int) -> Hasher:
    """One reusable Rust hasher per arity: building one costs more than a hash."""
    return Hasher(arity)


def poseidon(*inputs: int) -> int:
    """Return `Poseidon(inputs...)` as an integer below `r`.

    Raises `FieldElementOutOfRange` for an input outside `[0, r)` (circomlibjs would reduce it
    silently, which would let two different values hash alike) and `PoseidonArityError` for an
    unsupported number of inputs.
    """
    return poseidon_many(inputs)


def poseidon_many(inputs: Sequence[int]) -> int:
    """`poseidon(*inputs)` for a sequence already at hand."""
    if not 1 <= len(inputs) <= MAX_INPUTS:
        raise PoseidonArityError(len(inputs))
    encoded = [
        require_field_element(value, f"Poseidon input {i}").to_bytes(32, "big")
        for i, value in enumerate(inputs)
    ]
    return int(_hasher(len(inputs)).hash_bytes_be(encoded), 16)


def poseidon2_unchecked(left: int, right: int) -> int:
    """`Poseidon(left, right)` without the Python range check, for the register's inner loop.

    Only for values already known to be field elements (leaves checked on insertion, or earlier
    Poseidon outputs); the Rust code still refuses values `>= r` with a `ValueError`.
    """
    return int(_hasher(2).hash_bytes_be([left.to_bytes(32, "big"), right.to_bytes(32, "big")]), 16)
