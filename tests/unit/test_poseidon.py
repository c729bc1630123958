"""Poseidon gives circomlib's hashes, so register roots and commitments match the circuit."""

import json
from pathlib import Path
from typing import Any

import pytest

from veche.crypto.errors import FieldElementOutOfRange
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.poseidon import PoseidonArityError, poseidon

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
CASES: list[dict[str, Any]] = json.loads((VECTORS / "poseidon.json").read_text())["cases"]


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{len(c['inputs'])}-inputs-{i}" for i, c in enumerate(CASES)]
)
def test_poseidon_matches_circomlib(case: dict[str, Any]) -> None:
    assert poseidon(*map(int, case["inputs"])) == int(case["hash"])


def test_poseidon_of_five_inputs_matches_circomlib() -> None:
    # poseidon-lite poseidon5([1, 2, 3, 4, 5]); EdDSA-Poseidon signatures hash five inputs.
    expected = 6183221330272524995739186171720101788151706631170188140075976616310159254464
    assert poseidon(1, 2, 3, 4, 5) == expected


@pytest.mark.parametrize("bad", [SNARK_SCALAR_FIELD, SNARK_SCALAR_FIELD + 1, -1, 2**256])
def test_input_outside_the_field_is_refused_not_reduced(bad: int) -> None:
    with pytest.raises(FieldElementOutOfRange) as error:
        poseidon(1, bad)
    assert error.value.value == bad
    assert "Poseidon input 1" in str(error.value)


@pytest.mark.parametrize("count", [0, 13])
def test_unsupported_number_of_inputs_is_refused(count: int) -> None:
    with pytest.raises(PoseidonArityError):
        poseidon(*range(1, count + 1))
