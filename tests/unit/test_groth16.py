"""The Python Groth16 verifier accepts exactly the ballots the chain's verifier accepts.

The relayer uses it to refuse a bad ballot before paying gas, and the recount to re-check every
ballot on the chain. Every vector of `tests/vectors/proofs.json` (real Semaphore proofs made
with the committed keys, and tampered ones named `invalid_*`) must get the same verdict from
MCL and from the slow but independent `py_ecc` reference.
"""

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from py_ecc.optimized_bn128 import (
    FQ,
    FQ2,
    FQ12,
    add,
    b,
    b2,
    curve_order,
    field_modulus,
    final_exponentiate,
    is_inf,
    is_on_curve,
    multiply,
    neg,
    pairing,
)

from veche.crypto.errors import ProofFormatError
from veche.crypto.field import BN254_BASE_FIELD, SNARK_SCALAR_FIELD
from veche.crypto.groth16 import Proof, VerifyingKey, VerifyingKeyError, batch_verify, verify

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors"
PROOFS: dict[str, Any] = json.loads((VECTORS / "proofs.json").read_text())
VK_PATH = ROOT / PROOFS["verificationKey"]
VK_JSON: dict[str, Any] = json.loads(VK_PATH.read_text())
CASES: list[dict[str, Any]] = PROOFS["cases"]
VALID = [case for case in CASES if case["valid"]]
INVALID = [case for case in CASES if not case["valid"]]


def _by_name(name: str) -> dict[str, Any]:
    return next(case for case in CASES if case["name"] == name)


def _signals(case: dict[str, Any]) -> list[int]:
    return [int(s) for s in case["publicSignals"]]


@pytest.fixture(scope="module")
def vk() -> VerifyingKey:
    return VerifyingKey.load(VK_PATH)


def _mcl_accepts(vk: VerifyingKey, proof: Any, signals: list[int], packed: bool) -> bool:
    """The verdict a caller gets: a malformed proof is a rejected one."""
    try:
        parsed = Proof.from_packed(proof) if packed else Proof.from_snarkjs(proof)
        return verify(vk, parsed, signals)
    except ProofFormatError:
        return False


# ---- the independent reference (py_ecc, pure Python) --------------------------------------------


def _ref_g1(coords: Sequence[str]) -> Any:
    x, y = int(coords[0]), int(coords[1])
    if not (x < field_modulus and y < field_modulus):
        return None
    point = (FQ(x), FQ(y), FQ(1))
    return point if is_on_curve(point, b) else None


def _ref_g2(coords: Sequence[Sequence[str]]) -> Any:
    values = [int(c) for pair in coords[:2] for c in pair]
    if any(v >= field_modulus for v in values):
        return None
    point = (FQ2(values[0:2]), FQ2(values[2:4]), FQ2.one())
    if not is_on_curve(point, b2) or not is_inf(multiply(point, curve_order)):
        return None
    return point


def _reference_verify(vk_json: dict[str, Any], proof: dict[str, Any], signals: list[int]) -> bool:
    """Groth16's equation `e(A, B) = e(alpha, beta) e(vk_x, gamma) e(C, delta)` in py_ecc."""
    if len(signals) != int(vk_json["nPublic"]) or any(s >= curve_order for s in signals):
        return False
    a, c = _ref_g1(proof["pi_a"]), _ref_g1(proof["pi_c"])
    b_point = _ref_g2(proof["pi_b"])
    if a is None or b_point is None or c is None:
        return False
    ic = [_ref_g1(p) for p in vk_json["IC"]]
    vk_x = ic[0]
    for point, signal in zip(ic[1:], signals, strict=True):
        vk_x = add(vk_x, multiply(point, signal))
    loops = [
        pairing(b_point, neg(a), final_exponentiate=False),
        pairing(_ref_g2(vk_json["vk_beta_2"]), _ref_g1(vk_json["vk_alpha_1"]), False),
        pairing(_ref_g2(vk_json["vk_gamma_2"]), vk_x, final_exponentiate=False),
        pairing(_ref_g2(vk_json["vk_delta_2"]), c, final_exponentiate=False),
    ]
    product = FQ12.one()
    for loop in loops:
        product = product * loop
    return final_exponentiate(product) == FQ12.one()


# ---- vectors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", VALID, ids=lambda c: c["name"])
def test_valid_ballot_proof_verifies(vk: VerifyingKey, case: dict[str, Any]) -> None:
    assert verify(vk, Proof.from_snarkjs(case["proof"]), _signals(case))
    assert verify(vk, Proof.from_packed(case["packed"]), _signals(case))


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c["name"])
def test_invalid_ballot_proof_is_rejected(vk: VerifyingKey, case: dict[str, Any]) -> None:
    assert not _mcl_accepts(vk, case["proof"], _signals(case), packed=False)
    assert not _mcl_accepts(vk, case["packed"], _signals(case), packed=True)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_mcl_agrees_with_the_py_ecc_reference(vk: VerifyingKey, case: dict[str, Any]) -> None:
    expected = _reference_verify(VK_JSON, case["proof"], _signals(case))
    assert expected == case["valid"]
    assert _mcl_accepts(vk, case["proof"], _signals(case), packed=False) == expected


@pytest.mark.parametrize("case", VALID, ids=lambda c: c["name"])
def test_packing_puts_the_imaginary_part_of_g2_first(case: dict[str, Any]) -> None:
    packed = [int(v) for v in case["packed"]]
    proof = Proof.from_snarkjs(case["proof"])
    assert proof.packed() == packed
    assert Proof.from_packed(packed) == proof
    assert packed[2:4] == [int(case["proof"]["pi_b"][0][1]), int(case["proof"]["pi_b"][0][0])]
    assert Proof.from_snarkjs(proof.to_snarkjs()) == proof


def test_g2_point_outside_the_subgroup_is_refused_as_malformed() -> None:
    # Without MCL's G2 order check this point parsed, and such points broke soundness.
    case = _by_name("invalid_b_not_in_subgroup")
    with pytest.raises(ProofFormatError, match="subgroup"):
        Proof.from_snarkjs(case["proof"])
    with pytest.raises(ProofFormatError, match="subgroup"):
        Proof.from_packed(case["packed"])


def test_g1_point_off_the_curve_is_refused_as_malformed() -> None:
    with pytest.raises(ProofFormatError, match="proof A"):
        Proof.from_snarkjs(_by_name("invalid_a_not_on_curve")["proof"])


def test_public_signal_is_not_reduced_modulo_r(vk: VerifyingKey) -> None:
    case = _by_name("invalid_signal_not_in_field")
    proof = Proof.from_snarkjs(case["proof"])
    signals = _signals(case)
    assert any(s >= SNARK_SCALAR_FIELD for s in signals)
    assert verify(vk, proof, [s % SNARK_SCALAR_FIELD for s in signals])
    assert not verify(vk, proof, signals)


# ---- malformed input: one-line errors, never a traceback from deep inside -----------------------


def test_wrong_number_of_public_signals_is_a_format_error(vk: VerifyingKey) -> None:
    case = VALID[0]
    proof = Proof.from_snarkjs(case["proof"])
    with pytest.raises(ProofFormatError, match=f"expected {vk.n_public} public signals"):
        verify(vk, proof, _signals(case)[:-1])
    with pytest.raises(ProofFormatError, match="public signal 0"):
        verify(vk, proof, ["root", *_signals(case)[1:]])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("index", "value"),
    [(0, BN254_BASE_FIELD), (1, -1), (2, "twelve"), (7, None), (3, True), (4, 1.5)],
    ids=["coordinate-p", "negative", "text", "none", "bool", "float"],
)
def test_malformed_packed_proof_is_a_format_error(index: int, value: Any) -> None:
    packed: list[Any] = [int(v) for v in VALID[0]["packed"]]
    packed[index] = value
    with pytest.raises(ProofFormatError):
        Proof.from_packed(packed)


@pytest.mark.parametrize("length", [0, 7, 9])
def test_packed_proof_of_wrong_length_is_a_format_error(length: int) -> None:
    with pytest.raises(ProofFormatError, match="8 items"):
        Proof.from_packed([1] * length)


def test_snarkjs_proof_with_missing_or_projective_points_is_a_format_error() -> None:
    proof = dict(VALID[0]["proof"])
    with pytest.raises(ProofFormatError):
        Proof.from_snarkjs({k: v for k, v in proof.items() if k != "pi_c"})
    with pytest.raises(ProofFormatError, match="affine"):
        Proof.from_snarkjs({**proof, "pi_a": [*proof["pi_a"][:2], "2"]})


@pytest.mark.parametrize(
    "change",
    [
        {"protocol": "plonk"},
        {"curve": "bls12381"},
        {"nPublic": 3},
        {"vk_alpha_1": ["1", "3", "1"]},
        {"IC": "none"},
    ],
    ids=["protocol", "curve", "nPublic", "alpha-off-curve", "ic-not-a-list"],
)
def test_malformed_verifying_key_is_refused(change: dict[str, Any]) -> None:
    with pytest.raises(VerifyingKeyError):
        VerifyingKey.from_snarkjs({**VK_JSON, **change})


def test_unreadable_verifying_key_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(VerifyingKeyError, match="cannot read"):
        VerifyingKey.load(tmp_path / "missing.json")
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(VerifyingKeyError, match="cannot read"):
        VerifyingKey.load(tmp_path / "broken.json")


# ---- batch verification -------------------------------------------------------------------------


def _parsable_items(cases: list[dict[str, Any]]) -> list[tuple[Proof, list[int]]]:
    items = []
    for case in cases:
        try:
            items.append((Proof.from_snarkjs(case["proof"]), _signals(case)))
        except ProofFormatError:
            continue
    return items


def test_batch_of_valid_proofs_verifies(vk: VerifyingKey) -> None:
    items = _parsable_items(VALID) * 3
    assert all(verify(vk, proof, signals) for proof, signals in items)
    assert batch_verify(vk, items)
    assert batch_verify(vk, [])


@pytest.mark.parametrize(
    "bad", [c for c in INVALID if _parsable_items([c])], ids=lambda c: c["name"]
)
def test_batch_with_one_bad_proof_is_rejected(vk: VerifyingKey, bad: dict[str, Any]) -> None:
    items = _parsable_items(VALID)
    (bad_item,) = _parsable_items([bad])
    assert not verify(vk, *bad_item)
    assert not batch_verify(vk, [*items, bad_item, *items])
