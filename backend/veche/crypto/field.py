"""The BN254 fields every Veche value lives in.

Poseidon, the register, the nullifier and the circuit's public signals are all elements of the
BN254 scalar field; a value at or above `r` would be silently reduced by one implementation and
refused by another, so every entry point checks the range itself (see PROTOCOL.md).
"""

from veche.crypto.errors import FieldElementOutOfRange
from veche.protocol.spec import SNARK_SCALAR_FIELD

__all__ = ["BN254_BASE_FIELD", "SNARK_SCALAR_FIELD", "require_field_element"]
# SNARK_SCALAR_FIELD is `r`: order of BN254's G1/G2 subgroups, the field of circuit signals and
# Poseidon (spec/protocol.json, `encoding.snarkScalarField`).

BN254_BASE_FIELD = 21888242871839275222246405745257275088696311157297823662689037894645226208583
"""`p`: the field of BN254 curve coordinates (proof points)."""


def require_field_element(value: int, what: str) -> int:
    """Return `value` if it is an integer in `[0, r)`, else raise `FieldElementOutOfRange`.

    `bool` is refused as well: `True` is an `int` in Python but never a meaningful field element.
    """
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < SNARK_SCALAR_FIELD:
        raise FieldElementOutOfRange(what, value)
    return value
