"""The proof check the model uses in production: Groth16 against the circuit's verification key."""

from collections.abc import Sequence
from pathlib import Path

from veche.crypto.errors import CryptoError
from veche.crypto.groth16 import Proof, VerifyingKey, verify
from veche.model.rules import ProofCheck


def groth16_check(verifying_key: VerifyingKey) -> ProofCheck:
    """A `ProofCheck` that verifies packed proofs with `verifying_key` (subgroup checks included).

    A malformed proof (a point off the curve, a coordinate out of range) is simply not valid.
    """

    def check(packed: Sequence[int], signals: Sequence[int]) -> bool:
        try:
            return verify(verifying_key, Proof.from_packed(list(packed)), list(signals))
        except CryptoError:
            return False

    return check


def load_check(path: Path) -> ProofCheck:
    return groth16_check(VerifyingKey.load(path))
