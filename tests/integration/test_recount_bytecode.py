"""The recount checks the code of an election, not only the key's constants in it.

An election deployed with a modified copy of the real verifier (every constant of the key kept,
ballots with an odd nullifier refused) must fail the recount with a message naming the verifier.
"""

import json

import pytest
from web3 import Web3

from veche.chain.artifacts import load_artifact
from veche.chain.client import send
from veche.chain.deploy import Libraries, deploy_contract, deploy_from_definition
from veche.chain.paths import REPO_ROOT
from veche.chain.verifier import compile_verifier_source, verifier_source
from veche.keys import DEV_ZK_DIR
from veche.recount import recount
from veche.recount.bytecode import check_election_code

pytestmark = [pytest.mark.chain, pytest.mark.slow]

KEY = DEV_ZK_DIR / "verification_key.json"
REFUSE_ODD_NULLIFIERS = "        if ((_pubSignals[1] & 1) == 1) { return false; }\n"


def _valid_ballot() -> tuple[list, list, list, list]:
    cases = json.loads((REPO_ROOT / "tests" / "vectors" / "proofs.json").read_text())["cases"]
    case = next(c for c in cases if c["name"] == "valid_member")
    proof, signals = case["proof"], [int(s) for s in case["publicSignals"]]
    a = [int(x) for x in proof["pi_a"][:2]]
    b = [[int(x) for x in reversed(pair)] for pair in proof["pi_b"][:2]]
    c = [int(x) for x in proof["pi_c"][:2]]
    return a, b, c, signals


def _deploy_modified_verifier(w3: Web3, deployer) -> str:  # type: ignore[no-untyped-def]
    source = verifier_source(KEY)
    marker = "returns (bool) {\n"
    at = source.index(marker, source.index("function verifyProof")) + len(marker)
    modified = source[:at] + REFUSE_ODD_NULLIFIERS + source[at:]
    compiled = compile_verifier_source(modified)
    factory = w3.eth.contract(abi=compiled["abi"], bytecode=compiled["evm"]["bytecode"]["object"])
    return send(w3, deployer, factory.constructor())["contractAddress"]


def _constants_of(key: dict) -> list[bytes]:
    """What the recount used to look for: each constant of the key, as a PUSH carries it."""
    numbers = [
        *key["vk_alpha_1"][:2],
        *(
            c
            for name in ("vk_beta_2", "vk_gamma_2", "vk_delta_2")
            for p in key[name][:2]
            for c in p
        ),
        *(c for point in key["IC"] for c in point[:2]),
    ]
    return [int(n).to_bytes((int(n).bit_length() + 7) // 8, "big") for n in numbers]


def test_an_election_with_a_modified_verifier_fails_the_recount(world) -> None:
    w3 = world.w3
    honest = w3.eth.contract(
        address=world.election.verifier(), abi=load_artifact("Groth16Verifier").abi
    )
    evil_address = _deploy_modified_verifier(w3, world.organizer)
    evil = w3.eth.contract(address=evil_address, abi=honest.abi)
    ballot = _valid_ballot()
    assert ballot[3][1] % 2 == 1
    assert honest.functions.verifyProof(*ballot).call() is True
    assert evil.functions.verifyProof(*ballot).call() is False  # a valid ballot refused
    evil_code = bytes(w3.eth.get_code(evil_address))
    assert all(c in evil_code for c in _constants_of(json.loads(KEY.read_text())))

    poseidon = deploy_contract(w3, world.organizer, load_artifact("PoseidonT3"))
    election = deploy_from_definition(
        w3,
        world.organizer,
        world.definition,
        libraries=Libraries(poseidon_t3=poseidon, verifier=Web3.to_checksum_address(evil_address)),
    )
    record = recount(w3, election.address, world.definition, KEY).record()
    assert record["verified"] is False and record["verifierMatchesKey"] is False
    (problem,) = record["discrepancies"]
    assert problem.startswith(
        f"verifier Groth16Verifier at {Web3.to_checksum_address(evil_address)}"
    )


def test_the_honest_election_matches_the_reproducible_build(world) -> None:
    report = check_election_code(world.w3, world.election.address, world.election.verifier(), KEY)
    assert report.problems == ()
    assert [c.split(" at ")[0] for c in report.checked] == [
        "Election",
        "library PoseidonT3",
        "verifier",
    ]


def test_a_verifier_for_another_key_is_named(world, tmp_path) -> None:
    key = json.loads(KEY.read_text())
    key["IC"][1], key["IC"][2] = key["IC"][2], key["IC"][1]
    other = tmp_path / "other_key.json"
    other.write_text(json.dumps(key))
    report = check_election_code(world.w3, world.election.address, world.election.verifier(), other)
    (problem,) = report.problems
    assert problem.startswith("verifier Groth16Verifier") and "other_key.json" in problem


def test_a_pinned_ceremony_key_is_deployed_as_its_own_verifier_and_no_other_key_passes(
    world, tmp_path
) -> None:
    from veche.ceremony.pin import KeyNotPinned, key_sha256
    from veche.definition import load

    key = json.loads(KEY.read_text())
    key["IC"][1], key["IC"][2] = key["IC"][2], key["IC"][1]  # stands for a ceremony's key
    ceremony_key = tmp_path / "verification_key.json"
    ceremony_key.write_text(json.dumps(key))
    pinned_file = tmp_path / "pinned.toml"
    pinned_file.write_text(
        f'verification_key_sha256 = "{key_sha256(ceremony_key)}"\n'
        + world.definition_file.read_text()
    )
    pinned, w3 = load(pinned_file), world.w3
    with pytest.raises(KeyNotPinned, match="deploy: "):
        deploy_from_definition(w3, world.organizer, pinned)  # the development key
    election = deploy_from_definition(w3, world.organizer, pinned, verification_key=ceremony_key)
    report = check_election_code(w3, election.address, election.verifier(), ceremony_key)
    assert report.problems == ()
    assert check_election_code(w3, election.address, election.verifier(), KEY).problems != ()
    with pytest.raises(KeyNotPinned, match="recount: "):
        recount(w3, election.address, pinned, KEY)
