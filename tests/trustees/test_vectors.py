"""The shared ElGamal vectors (`tests/vectors/elgamal.json`), which the JavaScript side checks
too (`tests/js/elgamal.test.mjs`): encryptions with fixed randomness, their byte encoding, the
sum, the trustees' partial decryptions and proofs, a combination, refused encodings."""

import json
from pathlib import Path
from typing import Any

import pytest

from veche.crypto import elgamal
from veche.dedup import dleq
from veche.dedup.group import GENERATOR, ORDER, add, from_json, linear_combination, mul
from veche.dedup.shamir import lagrange_coefficients
from veche.trustees.decrypt import DistrictSum, combine, verify_partial
from veche.trustees.key import ElectionKey, Trustee

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[1] / "vectors" / "elgamal.json").read_text()
)
KEYS = [from_json(p, "option key") for p in VECTORS["optionKeys"]]


def test_the_vectors_use_the_specs_group_and_keys() -> None:
    assert from_json(VECTORS["generator"], "G") == GENERATOR
    assert int(VECTORS["order"]) == ORDER
    assert [mul(GENERATOR, int(s)) for s in VECTORS["optionSecrets"]] == KEYS


@pytest.mark.parametrize("case", VECTORS["encryptions"], ids=lambda c: str(c["choice"]))
def test_encryption_with_fixed_randomness_gives_the_vectors_points_and_bytes(
    case: dict[str, Any],
) -> None:
    ciphertext, r = elgamal.encrypt_choice(
        KEYS, case["choice"], case["options"], int(case["randomness"])
    )
    assert r == int(case["randomness"])
    assert ciphertext.ephemeral == from_json(case["R"], "R")
    assert list(ciphertext.payloads) == [from_json(p, "C") for p in case["C"]]
    assert elgamal.encode(ciphertext).hex() == case["bytes"]
    assert elgamal.decode(bytes.fromhex(case["bytes"])) == ciphertext


def test_the_sum_of_the_encodings_is_the_vectors_sum() -> None:
    total = elgamal.sum_encoded(bytes.fromhex(c["bytes"]) for c in VECTORS["encryptions"])
    assert total.ephemeral == from_json(VECTORS["sum"]["R"], "R")
    assert list(total.payloads) == [from_json(p, "C") for p in VECTORS["sum"]["C"]]


@pytest.mark.parametrize("partial", VECTORS["partialDecryptions"], ids=lambda p: p["trustee"])
def test_each_partial_decryption_is_the_trustees_share_times_R_with_a_valid_proof(
    partial: dict[str, Any],
) -> None:
    total_r = from_json(VECTORS["sum"]["R"], "R")
    shares = [int(x) for x in VECTORS["shares"][str(partial["trustee"])]]
    verification = VECTORS["verificationShares"][str(partial["trustee"])]
    for i, (x, d, proof) in enumerate(zip(shares, partial["D"], partial["proofs"], strict=True)):
        point, public = from_json(d, "D"), from_json(verification[i], "Y_j")
        assert point == mul(total_r, x)
        assert dleq.verify(dleq.DleqProof(int(proof["c"]), int(proof["s"])), public, total_r, point)


def test_k_partial_decryptions_combine_to_the_vectors_counts() -> None:
    combination = VECTORS["combination"]
    basis = combination["trustees"]
    lagrange = lagrange_coefficients(basis)
    assert {str(j): str(c) for j, c in lagrange.items()} == combination["lagrange"]
    partials = {p["trustee"]: p["D"] for p in VECTORS["partialDecryptions"]}
    counts = []
    for i, c in enumerate(VECTORS["sum"]["C"]):
        shared = linear_combination([(lagrange[j], from_json(partials[j][i], "D")) for j in basis])
        plain = add(from_json(c, "C"), mul(shared, ORDER - 1))
        counts.append(elgamal.discrete_log(plain, len(VECTORS["encryptions"])))
    assert counts == combination["counts"] == VECTORS["sum"]["counts"]


@pytest.mark.parametrize("case", VECTORS["invalid"], ids=lambda c: c["name"])
def test_invalid_encodings_are_refused_with_their_reason(case: dict[str, Any]) -> None:
    with pytest.raises(elgamal.InvalidCiphertext, match=case["refused"]):
        elgamal.decode(bytes.fromhex(case["bytes"]))


def test_the_publish_decryption_data_is_the_partials_in_the_agreed_layout() -> None:
    key = ElectionKey(
        threshold=VECTORS["threshold"],
        trustees=tuple(Trustee(j, f"trustee {j}") for j in (1, 2, 3)),
        option_keys=tuple(KEYS),
        verification_shares={
            int(j): tuple(from_json(p, "Y_j") for p in points)
            for j, points in VECTORS["verificationShares"].items()
        },
    ).check()
    total = elgamal.Ciphertext(
        from_json(VECTORS["sum"]["R"], "R"),
        tuple(from_json(p, "C") for p in VECTORS["sum"]["C"]),
    )
    sums = [DistrictSum(0, elgamal.OPTIONS, len(VECTORS["encryptions"]), total)]
    for partial in VECTORS["partialDecryptions"]:
        data = bytes.fromhex(partial["data"])
        assert len(data) == 16 * 128
        decrypted = verify_partial(key, sums, partial["trustee"], data)
        assert decrypted == [[from_json(d, "D") for d in partial["D"]]]
    basis = VECTORS["combination"]["trustees"]
    partials = {p["trustee"]: bytes.fromhex(p["data"]) for p in VECTORS["partialDecryptions"]}
    tally = combine(key, sums, {j: partials[j] for j in basis})
    assert tally.counts == {0: VECTORS["combination"]["counts"]}
