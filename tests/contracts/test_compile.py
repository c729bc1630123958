"""The committed artifacts are exactly what the committed sources compile to.

Deploying, testing and recounting use `contracts/build/*.json` without a compiler, so a stale
artifact would mean running code nobody reviewed.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from veche.chain.compile import compile_all, stale_artifacts, write_artifacts
from veche.chain.paths import REPO_ROOT, SOLC_WRAPPER
from veche.chain.verifier_source import (
    ENCRYPTED_VERIFICATION_KEY,
    ENCRYPTED_VERIFIER_SOURCE,
    expected_source,
)

pytestmark = pytest.mark.slow

ELECTION_SOURCE = "contracts/Election.sol"


def test_solc_wrapper_reports_its_version_as_native_solc_does() -> None:
    result = subprocess.run(
        [str(SOLC_WRAPPER), "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1].startswith("Version: 0.8.28+commit.7893614a")


def test_solc_wrapper_prints_nothing_but_the_compiler_json() -> None:
    source = (
        "// SPDX-License-Identifier: MIT\n"
        'pragma solidity 0.8.28; import "./B.sol"; contract A is B {}'
    )
    request = {
        "language": "Solidity",
        "sources": {"contracts/A.sol": {"content": source}},
        "settings": {"outputSelection": {"*": {"*": ["abi"]}}},
    }
    result = subprocess.run(
        [str(SOLC_WRAPPER), "--standard-json", "--base-path", str(REPO_ROOT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=True,
    )
    output = json.loads(result.stdout)  # fails on any banner line before the JSON
    # The import cannot be found: the callback's error reaches the compiler, not a crash.
    assert [e["type"] for e in output["errors"]] == ["ParserError"]
    assert "contracts/B.sol" in output["errors"][0]["message"]


def test_committed_artifacts_match_the_sources() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "veche.chain.compile", "--check"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stderr


def test_check_names_an_artifact_that_differs(tmp_path: Path) -> None:
    artifacts = compile_all()
    write_artifacts(artifacts, tmp_path)
    assert stale_artifacts(artifacts, tmp_path) == []

    election = json.loads((tmp_path / "Election.json").read_text())
    election["deployedBytecode"] = election["deployedBytecode"][:-2] + "00"
    (tmp_path / "Election.json").write_text(json.dumps(election))
    (tmp_path / "Removed.json").write_text("{}")
    (tmp_path / "VectorsHarness.json").unlink()

    assert stale_artifacts(artifacts, tmp_path) == [
        "Election.json",
        "Removed.json",
        "VectorsHarness.json",
    ]


def test_artifacts_are_byte_for_byte_reproducible(tmp_path: Path) -> None:
    write_artifacts(compile_all(), tmp_path / "first")
    write_artifacts(compile_all(), tmp_path / "second")
    first = {p.name: p.read_bytes() for p in (tmp_path / "first").iterdir()}
    second = {p.name: p.read_bytes() for p in (tmp_path / "second").iterdir()}
    assert first == second
    assert "Election.json" in first


def test_the_encrypted_verifier_is_what_the_development_election_keys_circuit_gives() -> None:
    source = ENCRYPTED_VERIFIER_SOURCE.read_text()
    assert source == expected_source(ENCRYPTED_VERIFICATION_KEY)
    assert "contract EncryptedBallotVerifier " in source and "WORDS_PER_PROOF = 47;" in source
