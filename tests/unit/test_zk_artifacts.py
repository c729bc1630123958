"""The committed circuit artifacts are what the committed sources and ceremony produce.

A voter's app, the relayer and the on-chain verifier must all use the same circuit and keys;
these tests catch a stale wasm, a zkey for another circuit, or a verifier exported from other
keys before a ballot would fail (or, worse, pass) in production.
"""

import json
from pathlib import Path

import pytest
from tests.zk_checks import (
    assert_zkey_verifies,
    committed_sums,
    exported_verification_key,
    run,
    sha256,
)

from veche.chain.verifier_source import expected_source
from veche.keys import DEV_ZK_DIR, ENCRYPTED_DEV_ZK_DIR

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = DEV_ZK_DIR
VERIFIER = ROOT / "contracts" / "verifiers" / "Groth16Verifier.sol"
KEYS = ["semaphore.wasm", "semaphore.r1cs", "semaphore.zkey", "pot_final.ptau"]
FOLDERS = {
    # The plain ballot circuit, and the encrypted one of the development election key
    # (tests/unit/test_encrypted_artifacts.py checks what is its own).
    "depth20": (DEV_ZK_DIR, {*KEYS, "verification_key.json"}),
    "encrypted16": (
        ENCRYPTED_DEV_ZK_DIR,
        {*KEYS, "verification_key.json", "encrypted16.circom", "transcript.json"},
    ),
}


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_every_artifact_matches_its_committed_sha256(name: str) -> None:
    folder, summed = FOLDERS[name]
    sums = committed_sums(folder)
    assert set(sums) == summed
    for file, digest in sums.items():
        assert sha256(folder / file) == digest, f"{name}/{file} differs from SHA256SUMS"


def test_artifact_readme_warns_that_the_keys_are_for_development_only() -> None:
    readme = (ARTIFACTS / "README.md").read_text()
    assert "DEV KEYS" in readme
    assert "NEVER USE THEM FOR A REAL ELECTION" in readme
    assert "snarkjs zkey contribute" in readme
    assert (
        VERIFIER.read_text().splitlines()[0].startswith("// GENERATED")
        and "DEV-ONLY" in (VERIFIER.read_text().splitlines()[0])
    )


@pytest.mark.slow
def test_recompiled_circuit_is_byte_identical_to_the_committed_one(tmp_path: Path) -> None:
    # circom 2.2.3 (circom2 0.2.23) output is deterministic for both files: compiling twice
    # into different folders gave the same r1cs and wasm bytes, so both are compared.
    result = run(["zk/build-circuit.sh", "20", str(tmp_path)])
    assert result.returncode == 0, result.stderr
    sums = committed_sums(ARTIFACTS)
    assert sha256(tmp_path / "semaphore_20.r1cs") == sums["semaphore.r1cs"]
    assert sha256(tmp_path / "semaphore_20_js" / "semaphore_20.wasm") == sums["semaphore.wasm"]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_committed_zkey_is_a_verified_setup_of_the_committed_circuit(name: str) -> None:
    assert_zkey_verifies(FOLDERS[name][0])


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_verification_key_is_the_one_in_the_committed_zkey(name: str, tmp_path: Path) -> None:
    folder = FOLDERS[name][0]
    committed = json.loads((folder / "verification_key.json").read_text())
    assert exported_verification_key(folder, tmp_path) == committed


def test_solidity_verifier_is_the_one_generated_from_the_committed_key() -> None:
    """The verifier's constants come from verification_key.json (which the test above ties to
    the zkey) through `veche.chain.verifier_source`; a hand edit or a stale copy fails here."""
    assert VERIFIER.read_text() == expected_source()
