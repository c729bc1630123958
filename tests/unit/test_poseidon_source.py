"""The register's Solidity Poseidon is generated from circomlib's constants and checked against
the reference implementation before it is written (on chain: tests/contracts/
test_vectors_solidity.py)."""

import pytest

from veche.chain import poseidon_source
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.poseidon import poseidon2_unchecked


def test_the_committed_library_is_the_one_generated_from_circomlibs_constants() -> None:
    """A hand edit of contracts/libraries/PoseidonT3.sol, or a stale copy, fails here."""
    assert poseidon_source.POSEIDON_SOURCE.read_text() == poseidon_source.expected_source()


@pytest.mark.parametrize(
    ("left", "right"),
    [(0, 0), (1, 0), (0, 1), (SNARK_SCALAR_FIELD - 1, 7), (2**200 + 3, 2**250 + 5)],
)
def test_the_optimized_rounds_compute_circomlibs_poseidon(left: int, right: int) -> None:
    constants = poseidon_source.load_constants()
    assert poseidon_source.poseidon2_optimized(constants, left, right) == poseidon2_unchecked(
        left, right
    )


def test_a_wrong_constant_is_caught_before_anything_is_written() -> None:
    constants = poseidon_source.load_constants()
    constants.s[10] += 1
    with pytest.raises(ValueError, match="disagree"):
        poseidon_source._check(constants)
