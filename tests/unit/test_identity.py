"""A voter's identity is the same in Python as in the Semaphore JavaScript library.

The browser creates the identity; the registrar's tools, the relayer and the recount read it.
If one derivation differed by a bit, a registered voter could never prove membership.
"""

import json
from pathlib import Path
from typing import Any

import pytest

from veche.crypto import babyjub
from veche.crypto.babyjub import Point
from veche.crypto.eddsa import Signature
from veche.crypto.errors import FieldElementOutOfRange, InvalidPrivateKey
from veche.crypto.identity import Identity, verify_signature
from veche.crypto.poseidon import poseidon

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
CASES: list[dict[str, Any]] = json.loads((VECTORS / "identity.json").read_text())["cases"]
CASE_IDS = [f"key-{i}" for i in range(len(CASES))]

# identity.signMessage(message) of @semaphore-protocol/identity 4.14.3:
# (exported private key, message, R8, S).
JS_SIGNATURES = [
    (
        "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=",
        0,
        (
            8334072923746810740350199417974266657812026980454125365714878137028092435685,
            7805736448407988280011992975850270920430355417049252984033167004668772534686,
        ),
        1881542981950344656969115568361479885560581537268388372560223896928497706845,
    ),
    (
        "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=",
        2**200 + 12345,
        (
            1412324740783907040715347432734033518431869431974983338057638351418628493493,
            12030379753459518492666243277719873653392960097020953365131020734393937173906,
        ),
        1389281673017637362878581955114427950420785093104046494375403991719373771394,
    ),
    (
        "dmVjaGUtdGVzdC12b3Rlcg==",
        0,
        (
            18580167886053362538795777197628633546798186029096897447908344697784069878258,
            5600612088826717828637378826516228331436485374162573908483368488726487125720,
        ),
        1439737189077053927312422703560164523248699449989250319530976896887489549775,
    ),
    (
        "dmVjaGUtdGVzdC12b3Rlcg==",
        2**200 + 12345,
        (
            13935973729756243582835740552279107251359298047155546276781834375936902093291,
            17990951580662624512051682645192081086934834293717848753852815625736175899744,
        ),
        105594160051289417248669642940233369874346852696683740132040209289707789702,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_imported_identity_matches_semaphore_js(case: dict[str, Any]) -> None:
    identity = Identity.import_(case["privateKey"])
    assert identity.secret_scalar == int(case["secretScalar"])
    assert identity.public_key == Point(*map(int, case["publicKey"]))
    assert identity.commitment == int(case["commitment"])


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_export_gives_back_the_javascript_export(case: dict[str, Any]) -> None:
    assert Identity.import_(case["privateKey"]).export() == case["privateKey"]


def test_generated_identity_is_32_random_bytes_and_round_trips() -> None:
    first, second = Identity.generate(), Identity.generate()
    assert len(first.private_key) == 32
    assert first != second
    assert first.commitment != second.commitment
    again = Identity.import_(first.export())
    assert again == first
    assert again.commitment == first.commitment


def test_secret_scalar_is_below_the_subgroup_order_and_gives_the_public_key() -> None:
    identity = Identity.from_private_key(b"\x07" * 32)
    assert 0 < identity.secret_scalar < babyjub.SUBGROUP_ORDER
    assert babyjub.in_subgroup(identity.public_key)
    assert identity.commitment == poseidon(*identity.public_key)


@pytest.mark.parametrize("bad", ["not base64!", "QUJD=extra", ""])
def test_invalid_base64_private_key_is_refused(bad: str) -> None:
    with pytest.raises(InvalidPrivateKey):
        Identity.import_(bad)


def test_empty_private_key_is_refused() -> None:
    with pytest.raises(InvalidPrivateKey):
        Identity.from_private_key(b"")


def test_repr_never_shows_the_private_key() -> None:
    identity = Identity.from_private_key(b"\x01" * 32)
    shown = repr(identity)
    assert identity.export() not in shown
    assert identity.private_key.hex() not in shown
    assert str(identity.commitment) in shown


def test_nullifier_refuses_a_scope_outside_the_field() -> None:
    with pytest.raises(FieldElementOutOfRange):
        Identity.from_private_key(b"\x01" * 32).nullifier(2**254)


@pytest.mark.parametrize(
    ("exported", "message", "r8", "s"), JS_SIGNATURES, ids=[f"sig-{i}" for i in range(4)]
)
def test_signature_matches_semaphore_js_and_verifies(
    exported: str, message: int, r8: tuple[int, int], s: int
) -> None:
    identity = Identity.import_(exported)
    signature = identity.sign(message)
    assert signature == Signature(Point(*r8), s)
    assert verify_signature(message, signature, identity.public_key)


def test_signature_does_not_verify_for_another_message_key_or_tampered_values() -> None:
    identity = Identity.from_private_key(b"\x01" * 32)
    other = Identity.from_private_key(b"\x02" * 32)
    signature = identity.sign(42)
    assert verify_signature(42, signature, identity.public_key)
    assert not verify_signature(43, signature, identity.public_key)
    assert not verify_signature(42, signature, other.public_key)
    assert not verify_signature(42, Signature(signature.r8, signature.s + 1), identity.public_key)
    off_curve = Point(signature.r8.x, signature.r8.y + 1)
    assert not verify_signature(42, Signature(off_curve, signature.s), identity.public_key)
    too_big = signature.s + babyjub.SUBGROUP_ORDER
    assert not verify_signature(42, Signature(signature.r8, too_big), identity.public_key)
