"""The voter proves to the registrar that they hold the identity behind the commitment: a
signature of the registrar's fresh challenge, made in the browser (JavaScript) and checked here.
"""

import json
from pathlib import Path
from typing import Any

import pytest

from veche.crypto.babyjub import Point
from veche.crypto.eddsa import Signature
from veche.crypto.identity import Identity, verify_signature
from veche.registrar.challenge import (
    MAX_CHALLENGE_AGE_SECONDS,
    HolderProof,
    challenge_code,
    issued_at,
    new_challenge,
    parse_challenge,
    verify_holder,
)
from veche.registrar.errors import InvalidHolderProof

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
CASES: list[dict[str, Any]] = json.loads((VECTORS / "signatures.json").read_text())["cases"]
NOW = 1_750_000_000


def proof_of(case: dict[str, Any]) -> HolderProof:
    return HolderProof(
        int(case["challenge"]),
        Point(*map(int, case["publicKey"])),
        Signature(Point(*map(int, case["signature"]["R8"])), int(case["signature"]["S"])),
    )


@pytest.mark.parametrize("case", CASES, ids=[f"{c['name']}-{i}" for i, c in enumerate(CASES)])
def test_javascript_signatures_of_challenges_verify_in_python(case: dict[str, Any]) -> None:
    proof = proof_of(case)
    commitment = int(case["commitment"])
    assert verify_signature(proof.challenge, proof.signature, proof.public_key) == case["valid"]
    if proof.challenge == 0:
        return  # a valid signature, but never a registrar's challenge (checked below)
    checked_at = issued_at(proof.challenge) + 1
    if case["valid"]:
        verify_holder(proof, commitment, now=checked_at, max_age=2**40)
        assert Identity.import_(case["privateKey"]).sign(proof.challenge) == proof.signature
    else:
        with pytest.raises(InvalidHolderProof):
            verify_holder(proof, commitment, now=checked_at, max_age=2**40)


def test_a_zero_challenge_is_refused() -> None:
    voter = Identity.generate()
    with pytest.raises(InvalidHolderProof, match="not a field element"):
        verify_holder(HolderProof(0, voter.public_key, voter.sign(0)), voter.commitment, now=NOW)


def fresh_proof(identity: Identity, now: int = NOW) -> HolderProof:
    challenge = new_challenge(now)
    return HolderProof(challenge, identity.public_key, identity.sign(challenge))


def test_a_fresh_challenge_signed_by_the_holder_is_accepted() -> None:
    voter = Identity.generate()
    verify_holder(fresh_proof(voter), voter.commitment, now=NOW + 60)


def test_a_signature_by_another_identity_is_refused() -> None:
    """Someone who shows a commitment they do not control (another person's) cannot sign for
    it: signing with their own key gives a public key that is not the commitment's."""
    victim, impostor = Identity.generate(), Identity.generate()
    with pytest.raises(InvalidHolderProof, match="not the one behind this commitment"):
        verify_holder(fresh_proof(impostor), victim.commitment, now=NOW)


def test_a_forged_signature_with_the_right_key_is_refused() -> None:
    victim, impostor = Identity.generate(), Identity.generate()
    challenge = new_challenge(NOW)
    forged = HolderProof(challenge, victim.public_key, impostor.sign(challenge))
    with pytest.raises(InvalidHolderProof, match="signature of the challenge is not valid"):
        verify_holder(forged, victim.commitment, now=NOW)


def test_a_stale_challenge_is_refused() -> None:
    voter = Identity.generate()
    with pytest.raises(InvalidHolderProof, match="issue a new one"):
        verify_holder(fresh_proof(voter), voter.commitment, now=NOW + MAX_CHALLENGE_AGE_SECONDS + 1)


def test_the_one_line_holder_proof_round_trips() -> None:
    proof = fresh_proof(Identity.generate())
    assert HolderProof.from_text(proof.to_text()) == proof
    public_key = f"{proof.public_key.x},{proof.public_key.y}"
    signature = f"{proof.signature.r8.x},{proof.signature.r8.y},{proof.signature.s}"
    assert HolderProof.from_parts(str(proof.challenge), public_key, signature) == proof


def test_the_answer_code_is_digits_after_an_upper_case_prefix() -> None:
    """QR codes hold digits in numeric mode (3.3 bits each): the answer must be only digits."""
    code = fresh_proof(Identity.generate()).to_text()
    assert code.startswith("VECHE:H1:")
    assert code.removeprefix("VECHE:H1:").isdigit() and len(code) == 9 + 307


GOOD_CODE = fresh_proof(Identity.generate()).to_text()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("hello", "not a Veche answer code"),
        ("VECHE:C1:12345", "not a Veche answer code"),
        (GOOD_CODE[:-1], "307 digits"),
        (GOOD_CODE + "0", "307 digits"),
        (GOOD_CODE[:20] + "x" + GOOD_CODE[21:], "307 digits"),
        (GOOD_CODE[:20] + "٣" + GOOD_CODE[21:], "307 digits"),  # an Arabic-Indic digit
        # a packed public key whose y has no point on the curve
        (GOOD_CODE[:84] + "2".zfill(78) + GOOD_CODE[162:], "damaged"),
    ],
)
def test_a_malformed_answer_code_is_one_line_refusal(text: str, reason: str) -> None:
    with pytest.raises(InvalidHolderProof, match=reason):
        HolderProof.from_text(text)


def test_a_damaged_signature_in_the_code_is_refused() -> None:
    voter = Identity.generate()
    code = fresh_proof(voter).to_text()
    last = code[-1]
    damaged = code[:-1] + ("1" if last == "0" else "0")
    with pytest.raises(InvalidHolderProof, match="not valid"):
        verify_holder(HolderProof.from_text(damaged), voter.commitment, now=NOW)


@pytest.mark.parametrize("text", ["VECHE:C1:123", "vecHe:c1:123", " 1 2 3 "])
def test_a_desk_code_or_typed_digits_give_the_challenge(text: str) -> None:
    assert parse_challenge(text) == 123
    assert parse_challenge(challenge_code(new_challenge(NOW))) >> 208 == NOW


@pytest.mark.parametrize("text", ["", "VECHE:C1:", "VECHE:C1:0", "12a", str(2**254)])
def test_something_that_is_not_a_challenge_is_refused(text: str) -> None:
    with pytest.raises(InvalidHolderProof):
        parse_challenge(text)


def test_challenges_are_fresh_field_elements_that_carry_their_time() -> None:
    challenges = {new_challenge(NOW) for _ in range(20)}
    assert len(challenges) == 20
    assert all(issued_at(c) == NOW and c < 2**254 for c in challenges)
