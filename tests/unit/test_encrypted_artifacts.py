"""The committed encrypted ballot artifacts (development election key) match their sources
(their checksums, zkey and verification key: tests/unit/test_zk_artifacts.py).

The circuit's main file is what `veche.crypto.ballot_circuit` writes from the committed
development election key, and r1cs and wasm are what `zk/build-encrypted.sh --compile-only`
compiles from it. (The Solidity verifier generated from the verification key,
`contracts/verifiers/EncryptedBallotVerifier.sol`, is checked with the contracts.)
"""

import json
from pathlib import Path

import pytest
from tests.zk_checks import committed_sums, run, sha256

from veche.crypto.ballot_circuit import circuit_for
from veche.keys import ENCRYPTED_DEV_ZK_DIR
from veche.protocol.spec import SPEC

ARTIFACTS = ENCRYPTED_DEV_ZK_DIR
ELECTION_KEY = ARTIFACTS / SPEC["encryption"]["developmentElectionKey"]


def test_readme_warns_that_keys_and_election_key_are_for_development_only() -> None:
    readme = (ARTIFACTS / "README.md").read_text()
    assert "DEV KEYS" in readme
    assert "NEVER USE THEM FOR A REAL ELECTION" in readme
    assert "ANYONE CAN DECRYPT" in readme


def test_circuit_is_the_one_generated_from_the_development_election_key() -> None:
    assert (ARTIFACTS / "encrypted16.circom").read_text() == circuit_for(ELECTION_KEY)


@pytest.mark.slow
def test_recompiled_circuit_is_byte_identical_to_the_committed_one(tmp_path: Path) -> None:
    result = run(["zk/build-encrypted.sh", "--compile-only", str(ELECTION_KEY), str(tmp_path)])
    assert result.returncode == 0, result.stderr
    sums = committed_sums(ARTIFACTS)
    for name in ("encrypted16.circom", "semaphore.r1cs", "semaphore.wasm"):
        assert sha256(tmp_path / name) == sums[name], name


def test_verification_key_has_the_spec_public_signals() -> None:
    committed = json.loads((ARTIFACTS / "verification_key.json").read_text())
    assert committed["nPublic"] == len(SPEC["encryption"]["circuit"]["publicSignals"]) == 39
