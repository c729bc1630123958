"""The keccak encodings of PROTOCOL.md (Semaphore hash, ballot message, election scope, public
signals) are those of Solidity and JavaScript, so a ballot proven in the browser verifies."""

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veche.crypto.errors import InvalidAddress, MessageFieldOutOfRange, Uint256OutOfRange
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.hashing import (
    UINT32_MAX,
    election_scope,
    message_signal,
    pack_message,
    public_signals,
    scope_signal,
    semaphore_hash,
    unpack_message,
)
from veche.crypto.identity import Identity

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
HASHING: dict[str, Any] = json.loads((VECTORS / "hashing.json").read_text())
PROOF_CASES: list[dict[str, Any]] = json.loads((VECTORS / "proofs.json").read_text())["cases"]
VALID_PROOFS = [case for case in PROOF_CASES if case["valid"]]

uint32 = st.integers(min_value=0, max_value=UINT32_MAX)


@pytest.mark.parametrize("case", HASHING["hash"], ids=lambda c: f"H({c['input']})")
def test_semaphore_hash_matches_solidity(case: dict[str, str]) -> None:
    output = semaphore_hash(int(case["input"]))
    assert output == int(case["output"])
    assert output < SNARK_SCALAR_FIELD


@pytest.mark.parametrize("bad", [-1, 2**256])
def test_semaphore_hash_refuses_values_that_are_not_uint256(bad: int) -> None:
    with pytest.raises(Uint256OutOfRange):
        semaphore_hash(bad)


@pytest.mark.parametrize(
    "case",
    HASHING["message"],
    ids=lambda c: f"choice{c['choice']}-rev{c['revision']}-district{c['district']}",
)
def test_ballot_message_packs_district_revision_and_choice(case: dict[str, Any]) -> None:
    fields = (case["choice"], case["revision"], case["district"])
    message = pack_message(*fields)
    assert message == int(case["message"])
    assert message_signal(*fields) == int(case["signal"])
    assert unpack_message(message) == fields


def test_district_zero_is_the_single_register_encoding() -> None:
    assert pack_message(2, 3) == pack_message(2, 3, 0) == (3 << 32) | 2


@given(uint32, st.integers(min_value=1, max_value=UINT32_MAX), uint32)
def test_unpack_inverts_pack(choice: int, revision: int, district: int) -> None:
    assert unpack_message(pack_message(choice, revision, district)) == (choice, revision, district)


@pytest.mark.parametrize(
    ("choice", "revision", "district"),
    [(-1, 1, 0), (2**32, 1, 0), (0, 0, 0), (0, 2**32, 0), (True, 1, 0), (0, 1, -1), (0, 1, 2**32)],
)
def test_fields_outside_uint32_or_revision_zero_are_refused(
    choice: int, revision: int, district: int
) -> None:
    with pytest.raises(MessageFieldOutOfRange):
        pack_message(choice, revision, district)


@pytest.mark.parametrize("bad", [2**96, 5, -1, (7 << 64) | 5])
def test_unpack_refuses_a_message_no_ballot_could_have(bad: int) -> None:
    # 5 has revision 0: a first ballot is revision 1.
    with pytest.raises(MessageFieldOutOfRange):
        unpack_message(bad)


@pytest.mark.parametrize("case", HASHING["scope"], ids=lambda c: f"{c['chainId']}-{c['address']}")
def test_election_scope_is_keccak_of_abi_encoded_chain_and_address(case: dict[str, Any]) -> None:
    scope = election_scope(case["chainId"], case["address"])
    assert scope == int(case["scope"])
    assert scope_signal(scope) == int(case["signal"])


def test_election_scope_reads_every_address_spelling_alike() -> None:
    address = HASHING["scope"][0]["address"]
    expected = int(HASHING["scope"][0]["scope"])
    chain_id = HASHING["scope"][0]["chainId"]
    assert election_scope(chain_id, address.lower()) == expected
    assert election_scope(chain_id, bytes.fromhex(address[2:])) == expected


@pytest.mark.parametrize("bad", ["0x1234", "not an address", b"\x01" * 19])
def test_election_scope_refuses_a_malformed_address(bad: str | bytes) -> None:
    with pytest.raises(InvalidAddress):
        election_scope(31337, bad)


def test_the_same_election_on_another_chain_has_another_scope() -> None:
    address = HASHING["scope"][0]["address"]
    assert election_scope(1, address) != election_scope(31337, address)


@pytest.mark.parametrize(
    "case", HASHING["nullifier"], ids=lambda c: f"{c['privateKey'][:6]}-{c['scopeSignal'][:6]}"
)
def test_nullifier_is_poseidon_of_scope_signal_and_secret(case: dict[str, str]) -> None:
    identity = Identity.import_(case["privateKey"])
    assert identity.nullifier(int(case["scopeSignal"])) == int(case["nullifier"])


@pytest.mark.parametrize("case", VALID_PROOFS, ids=lambda c: c["name"])
def test_public_signals_are_in_the_circuits_order(case: dict[str, Any]) -> None:
    context = case["context"]
    scope = election_scope(context["chainId"], context["address"])
    assert scope == int(context["scope"])
    signals = public_signals(
        merkle_root=int(case["publicSignals"][0]),
        nullifier=int(case["publicSignals"][1]),
        choice=context["choice"],
        revision=context["revision"],
        scope=scope,
    )
    assert signals == [int(s) for s in case["publicSignals"]]
