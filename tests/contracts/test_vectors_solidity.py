"""The shared vectors of `tests/vectors/` hold for the Solidity code the election runs.

Poseidon, the LeanIMT root, H(x), message packing (with its district) and the election scope are
checked through `VectorsHarness` (which calls the same libraries as `Election`), and the proof
vectors through the deployed snarkjs verifier.
"""

import json
from pathlib import Path
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import ContractLogicError

from veche.chain.artifacts import load_artifact
from veche.chain.deploy import Libraries, deploy_contract
from veche.crypto.field import SNARK_SCALAR_FIELD as FIELD
from veche.crypto.poseidon import poseidon2_unchecked

pytestmark = pytest.mark.chain

VECTORS = Path(__file__).resolve().parents[1] / "vectors"


def _vectors(name: str) -> dict[str, Any]:
    return json.loads((VECTORS / name).read_text())


def _ints(values: list[Any]) -> list[int]:
    return [int(value) for value in values]


@pytest.fixture(scope="module")
def harness(chain: Web3, accounts: list[LocalAccount], libraries: Libraries) -> Contract:
    artifact = load_artifact("VectorsHarness")
    address = deploy_contract(
        chain, accounts[9], artifact, libraries={"PoseidonT3": libraries.poseidon_t3}
    )
    return chain.eth.contract(address=address, abi=artifact.abi)


@pytest.fixture(scope="module")
def verifier(chain: Web3, libraries: Libraries) -> Contract:
    return chain.eth.contract(address=libraries.verifier, abi=load_artifact("Groth16Verifier").abi)


POSEIDON2_CASES = [case for case in _vectors("poseidon.json")["cases"] if len(case["inputs"]) == 2]


@pytest.mark.parametrize("case", POSEIDON2_CASES, ids=lambda c: ",".join(c["inputs"])[:40])
def test_poseidon_t3_matches_circomlib(harness: Contract, case: dict[str, Any]) -> None:
    assert harness.functions.poseidon2(*_ints(case["inputs"])).call() == int(case["hash"])


MERKLE_CASES = _vectors("merkle.json")["cases"]


@pytest.mark.parametrize("case", MERKLE_CASES, ids=lambda c: f"{len(c['leaves'])}-leaves")
def test_leanimt_root_matches_semaphore_group(harness: Contract, case: dict[str, Any]) -> None:
    leaves = _ints(case["leaves"])
    assert harness.functions.leanIMTRoot(leaves).call() == int(case["root"])
    assert harness.functions.leanIMTRootOneByOne(leaves).call() == int(case["root"])


HASHING = _vectors("hashing.json")


@pytest.mark.parametrize("case", HASHING["hash"], ids=lambda c: c["input"][:20])
def test_semaphore_hash_matches(harness: Contract, case: dict[str, Any]) -> None:
    assert harness.functions.hashToField(int(case["input"])).call() == int(case["output"])


def _message_id(case: dict[str, Any]) -> str:
    return f"{case.get('district', 0)}-{case['choice']}-{case['revision']}"


@pytest.mark.parametrize("case", HASHING["message"], ids=_message_id)
def test_message_packing_matches(harness: Contract, case: dict[str, Any]) -> None:
    """A case without a district is a single-register ballot: district 0."""
    district = int(case.get("district", 0))
    pack = harness.functions.packMessage(int(case["choice"]), int(case["revision"]), district)
    message = pack.call()
    assert message == int(case["message"])
    assert harness.functions.hashToField(message).call() == int(case["signal"])


@pytest.mark.parametrize(
    ("choice", "revision", "district"),
    [(0, 1, 1), (2, 3, 254), (2**32 - 1, 2**32 - 1, 2**32 - 1)],
)
def test_the_district_takes_the_bits_above_the_revision(
    harness: Contract, choice: int, revision: int, district: int
) -> None:
    """PROTOCOL.md: `message = (district << 64) | (revision << 32) | choice`, so no field can
    spill into another and district 0 leaves single-register messages unchanged."""
    message = harness.functions.packMessage(choice, revision, district).call()
    assert (message >> 64, (message >> 32) & 0xFFFFFFFF, message & 0xFFFFFFFF) == (
        district,
        revision,
        choice,
    )
    assert message == (district << 64) | harness.functions.packMessage(choice, revision, 0).call()


@pytest.mark.parametrize("case", HASHING["scope"], ids=lambda c: f"{c['chainId']}-{c['address']}")
def test_election_scope_matches(harness: Contract, case: dict[str, Any]) -> None:
    scope = harness.functions.electionScope(int(case["chainId"]), case["address"]).call()
    assert scope == int(case["scope"])
    assert harness.functions.hashToField(scope).call() == int(case["signal"])


PROOF_CASES = _vectors("proofs.json")["cases"]


def _verify(verifier: Contract, packed: list[int], signals: list[int]) -> bool:
    """The verifier's answer; a revert (e.g. a point the precompile refuses) counts as no."""
    a, b, c = packed[0:2], [packed[2:4], packed[4:6]], packed[6:8]
    try:
        return bool(verifier.functions.verifyProof(a, b, c, signals).call({"gas": 2_000_000}))
    except ContractLogicError:
        return False


@pytest.mark.parametrize("case", PROOF_CASES, ids=lambda c: c["name"])
def test_the_deployed_verifier_agrees_with_the_proof_vectors(
    verifier: Contract, case: dict[str, Any]
) -> None:
    accepted = _verify(verifier, _ints(case["packed"]), _ints(case["publicSignals"]))
    assert accepted is case["valid"], case["description"]


def test_the_proof_vectors_include_valid_and_invalid_cases() -> None:
    assert {case["valid"] for case in PROOF_CASES} == {True, False}
    assert all(case["name"].startswith("invalid_") for case in PROOF_CASES if not case["valid"])


@pytest.mark.parametrize(
    ("left", "right"),
    [(FIELD - 1, FIELD - 1), (0, FIELD - 1), (FIELD - 1, 0), (2**256 - 1, 2**256 - 1), (FIELD, 1)],
    ids=["r-1,r-1", "0,r-1", "r-1,0", "max,max", "r,1"],
)
def test_poseidon_t3_reduces_every_lane_whatever_the_inputs(
    harness: Contract, left: int, right: int
) -> None:
    """The generated library skips reductions where sums stay below 2^256 (see
    veche.chain.poseidon_source): inputs at the top of the field, and beyond it (taken modulo
    r, as zk-kit's library takes them), give circomlib's hash."""
    expected = poseidon2_unchecked(left % FIELD, right % FIELD)
    assert harness.functions.poseidon2(left, right).call() == expected
