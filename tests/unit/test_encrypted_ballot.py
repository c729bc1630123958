"""The encrypted ballot circuit (development election key) proves exactly well-formed ballots.

A valid ballot's public signals are `veche.crypto.elgamal`'s encryption of the one-hot choice
with the same randomness, and its proof verifies with the Python verifier (single and batch)
and with snarkjs. Each malformed ballot is refused twice over: the witness cannot be computed
(the voter's own prover refuses), and a valid proof presented with the public signals that
ballot would have shown does not verify (nobody can pass it to the contract either).
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.zk_checks import snarkjs_accepts

from veche.crypto import babyjub, elgamal, groth16
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.prover import Prover, encrypted_ballot_input, encrypted_prover
from veche.errors import ProofError
from veche.keys import ENCRYPTED_DEV_ZK_DIR, encrypted_zk_dir
from veche.protocol.spec import SPEC, ZK_VERIFICATION_KEY
from veche.trustees.key import ElectionKey

ROOT = Path(__file__).resolve().parents[2]
ELECTION_KEY = ENCRYPTED_DEV_ZK_DIR / SPEC["encryption"]["developmentElectionKey"]
G = elgamal.GENERATOR
K = elgamal.OPTIONS
OPTIONS = 5
CHOICE = 2
R = 0x1234_5678_9ABC_DEF0_1234_5678_9ABC_DEF0_1234_5678_9ABC_DEF0

pytestmark = pytest.mark.slow


def _member_input() -> dict[str, Any]:
    cases = json.loads((ROOT / "tests" / "vectors" / "proofs.json").read_text())["cases"]
    member = next(case for case in cases if case["name"] == "valid_member")
    return dict(member["context"]["circuitInput"])


@pytest.fixture(scope="module")
def prover() -> Iterator[Prover]:
    with encrypted_prover() as started:
        yield started


@pytest.fixture(scope="module")
def option_keys() -> tuple[babyjub.Point, ...]:
    return ElectionKey.load(ELECTION_KEY).option_keys


@pytest.fixture(scope="module")
def ballot(prover: Prover) -> dict[str, Any]:
    """One valid ballot: choice 2 of 5 with the randomness R."""
    return prover.prove(
        encrypted_ballot_input(_member_input(), choice=CHOICE, options=OPTIONS, r=R)
    )


@pytest.fixture(scope="module")
def key_path() -> Path:
    """The verification key beside the prover's keys (`VECHE_ENCRYPTED_ZK_DIR` or the
    development election key's folder)."""
    return encrypted_zk_dir() / ZK_VERIFICATION_KEY


@pytest.fixture(scope="module")
def key(key_path: Path) -> groth16.VerifyingKey:
    return groth16.VerifyingKey.load(key_path)


def _python_accepts(key: groth16.VerifyingKey, proof: dict[str, Any], signals: list[Any]) -> bool:
    return groth16.verify(key, groth16.Proof.from_snarkjs(proof), [int(s) for s in signals])


def test_signals_are_the_elgamal_encryption_with_the_same_randomness(
    ballot: dict[str, Any], option_keys: tuple[babyjub.Point, ...]
) -> None:
    member = _member_input()
    expected, _ = elgamal.encrypt_choice(option_keys, CHOICE, OPTIONS, R)
    signals = [int(s) for s in ballot["publicSignals"]]
    assert len(signals) == len(SPEC["encryption"]["circuit"]["publicSignals"]) == 39
    assert signals[2:36] == elgamal.public_signals(expected)
    assert signals[36:] == [int(member["message"]), int(member["scope"]), OPTIONS]


def test_proof_verifies_in_python_single_and_batch_and_in_snarkjs(
    prover: Prover,
    ballot: dict[str, Any],
    key: groth16.VerifyingKey,
    key_path: Path,
    tmp_path: Path,
) -> None:
    assert key.n_public == 39
    assert _python_accepts(key, ballot["proof"], ballot["publicSignals"])
    assert snarkjs_accepts(key_path, ballot["proof"], ballot["publicSignals"], tmp_path)
    other = prover.prove(encrypted_ballot_input(_member_input(), choice=0, options=1))
    items = [
        (groth16.Proof.from_snarkjs(b["proof"]), [int(s) for s in b["publicSignals"]])
        for b in (ballot, other)
    ]
    assert groth16.batch_verify(key, items)
    # The second ballot's randomness was drawn afresh: its R differs.
    assert other["publicSignals"][2:4] != ballot["publicSignals"][2:4]
    # A batch holding one ballot with another's ciphertext is refused.
    swapped = [items[0], (items[1][0], items[1][1][:2] + items[0][1][2:36] + items[1][1][36:])]
    assert not groth16.batch_verify(key, swapped)


def test_a_proof_for_fewer_options_does_not_pass_as_one_for_more(
    ballot: dict[str, Any], key: groth16.VerifyingKey
) -> None:
    signals = [*ballot["publicSignals"][:-1], str(K)]
    assert not _python_accepts(key, ballot["proof"], signals)


def _one_hot(index: int) -> list[int]:
    return [int(i == index) for i in range(K)]


MALFORMED: dict[str, tuple[list[int], int, int]] = {
    # name: (m, options, r)
    "two_in_one_option": ([2] + [0] * (K - 1), OPTIONS, R),
    "two_in_one_option_summing_to_one": ([2, SNARK_SCALAR_FIELD - 1] + [0] * (K - 2), OPTIONS, R),
    "two_ones": ([1, 1] + [0] * (K - 2), OPTIONS, R),
    "no_one": ([0] * K, OPTIONS, R),
    "one_at_the_options_count": (_one_hot(OPTIONS), OPTIONS, R),
    "one_at_the_last_entry_of_a_one_option_district": (_one_hot(K - 1), 1, R),
    "zero_randomness": (_one_hot(CHOICE), OPTIONS, 0),
    "randomness_of_the_group_order": (_one_hot(CHOICE), OPTIONS, elgamal.ORDER),
    "zero_options": (_one_hot(0), 0, R),
    "seventeen_options": (_one_hot(CHOICE), K + 1, R),
}


def _claimed_signals(
    option_keys: tuple[babyjub.Point, ...], m: list[int], options: int, r: int
) -> list[int]:
    """What the malformed ballot would publish: R = r·G, C_i = m_i·G + r·Y_i."""
    points = [babyjub.mul(G, r % elgamal.ORDER)] + [
        babyjub.add(babyjub.mul(G, mi % elgamal.ORDER), babyjub.mul(y, r % elgamal.ORDER))
        for mi, y in zip(m, option_keys, strict=True)
    ]
    member = _member_input()
    return [
        0,
        0,
        *(c for p in points for c in p),
        int(member["message"]),
        int(member["scope"]),
        options,
    ]


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_ballot_is_refused_by_the_prover_and_the_verifier(
    name: str,
    prover: Prover,
    ballot: dict[str, Any],
    key: groth16.VerifyingKey,
    option_keys: tuple[babyjub.Point, ...],
) -> None:
    m, options, r = MALFORMED[name]
    inputs = {**_member_input(), "options": options, "r": r, "m": m}
    with pytest.raises(ProofError, match="the circuit refused"):
        prover.prove(inputs)
    claimed = _claimed_signals(option_keys, m, options, r)
    claimed[:2] = [int(s) for s in ballot["publicSignals"][:2]]
    assert not _python_accepts(key, ballot["proof"], claimed)


def test_the_input_builder_refuses_a_choice_outside_the_options() -> None:
    with pytest.raises(ProofError, match="not one of the district's 5 options"):
        encrypted_ballot_input(_member_input(), choice=5, options=5)
    with pytest.raises(ProofError, match=r"1\.\.16 options"):
        encrypted_ballot_input(_member_input(), choice=0, options=17)
