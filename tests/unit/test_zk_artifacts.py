"""The committed circuit artifacts are what the committed sources and ceremony produce.

A voter's app, the relayer and the on-chain verifier must all use the same circuit and keys;
these tests catch a stale wasm, a zkey for another circuit, or a verifier exported from other
keys before a ballot would fail (or, worse, pass) in production.
"""

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from veche.chain.verifier_source import expected_source
from veche.keys import DEV_ZK_DIR

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = DEV_ZK_DIR
VERIFIER = ROOT / "contracts" / "verifiers" / "Groth16Verifier.sol"
SNARKJS = [str(ROOT / "node_modules" / ".bin" / "snarkjs")]
SUMMED = ["semaphore.wasm", "semaphore.r1cs", "semaphore.zkey", "pot_final.ptau"]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _committed_sums() -> dict[str, str]:
    """`SHA256SUMS` as written by `sha256sum`: `<hex>  <name>` per line."""
    sums: dict[str, str] = {}
    for line in (ARTIFACTS / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        sums[name.lstrip("*")] = digest
    return sums


def _run(command: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_every_artifact_matches_its_committed_sha256() -> None:
    sums = _committed_sums()
    assert set(sums) == {*SUMMED, "verification_key.json"}
    for name, digest in sums.items():
        assert _sha256(ARTIFACTS / name) == digest, f"{name} differs from SHA256SUMS"


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
    result = _run(["zk/build-circuit.sh", "20", str(tmp_path)])
    assert result.returncode == 0, result.stderr
    sums = _committed_sums()
    assert _sha256(tmp_path / "semaphore_20.r1cs") == sums["semaphore.r1cs"]
    assert _sha256(tmp_path / "semaphore_20_js" / "semaphore_20.wasm") == sums["semaphore.wasm"]


@pytest.mark.slow
def test_committed_zkey_is_a_verified_setup_of_the_committed_circuit() -> None:
    result = _run(
        [
            *SNARKJS,
            "zkey",
            "verify",
            str(ARTIFACTS / "semaphore.r1cs"),
            str(ARTIFACTS / "pot_final.ptau"),
            str(ARTIFACTS / "semaphore.zkey"),
        ]
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "ZKey Ok!" in result.stdout


@pytest.mark.slow
def test_verification_key_is_the_one_in_the_committed_zkey(tmp_path: Path) -> None:
    exported = tmp_path / "verification_key.json"
    zkey = str(ARTIFACTS / "semaphore.zkey")
    result = _run([*SNARKJS, "zkey", "export", "verificationkey", zkey, str(exported)])
    assert result.returncode == 0, result.stderr
    committed = json.loads((ARTIFACTS / "verification_key.json").read_text())
    assert json.loads(exported.read_text()) == committed


def test_solidity_verifier_is_the_one_generated_from_the_committed_key() -> None:
    """The verifier's constants come from verification_key.json (which the test above ties to
    the zkey) through `veche.chain.verifier_source`; a hand edit or a stale copy fails here."""
    assert VERIFIER.read_text() == expected_source()
