"""The Solidity side of `spec/protocol.json`: the deployed contract's limits, its phase enum and
its encodings' constants are the spec's."""

import re

import pytest

from veche.chain.election import ElectionContract
from veche.chain.paths import CONTRACTS_DIR
from veche.protocol import SPEC

pytestmark = pytest.mark.chain


def _source(relative: str) -> str:
    return (CONTRACTS_DIR / relative).read_text()


def test_the_contracts_limits_are_the_specs(election: ElectionContract) -> None:
    functions = election.contract.functions
    assert functions.MAX_MEMBERS().call() == SPEC["register"]["maxMembers"]
    assert functions.MAX_DISTRICTS().call() == SPEC["limits"]["maxDistricts"]


def test_the_contracts_phases_are_the_specs() -> None:
    body = re.search(r"enum Phase \{(.*?)\}", _source("interfaces/IElection.sol"), re.S)
    assert body is not None
    names = re.findall(r"^\s*(\w+),?\s*$", re.sub(r"///.*", "", body.group(1)), re.M)
    assert names == SPEC["contractPhases"]
    assert sorted({entry["contract"] for entry in SPEC["phases"]}) == list(range(len(names)))


def test_the_encoding_library_uses_the_specs_field_and_layout() -> None:
    source = _source("libraries/BallotEncoding.sol")
    field = re.search(r"SNARK_SCALAR_FIELD =\s*(\d+);", source)
    assert field is not None and field.group(1) == SPEC["encoding"]["snarkScalarField"]
    layout = SPEC["encoding"]["message"]
    assert (
        f"(uint256(district) << {layout['districtShift']}) | "
        f"(uint256(revision) << {layout['revisionShift']}) | uint256(choice)"
    ) in source
