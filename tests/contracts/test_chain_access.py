"""The chain-access layer: anvil's lifecycle, clear errors, and revert decoding."""

import pytest
from eth_abi import encode
from eth_account.signers.local import LocalAccount
from eth_utils import function_signature_to_4byte_selector
from web3 import Web3

from veche.chain.anvil import Anvil, latest_timestamp, mine, time_travel
from veche.chain.artifacts import link, load_artifact
from veche.chain.client import connect, decode_revert, dev_accounts
from veche.chain.deploy import Libraries
from veche.chain.election import ElectionContract
from veche.errors import ArtifactError, ChainError, NotAnElection

pytestmark = pytest.mark.chain

ELECTION_ABI = load_artifact("Election").abi


def test_anvil_stops_without_leaving_a_process_behind() -> None:
    node = Anvil().start()
    process = node._process
    assert process is not None
    assert connect(node.rpc_url).eth.chain_id == 31337
    node.stop()
    assert process.returncode is not None, "anvil was not reaped"
    with pytest.raises(ChainError, match="no chain answers"):
        connect(f"http://127.0.0.1:{node.rpc_url.rsplit(':', 1)[1]}", timeout=2)


def test_the_clock_can_be_moved_forward(w3: Web3) -> None:
    start = latest_timestamp(w3)
    assert time_travel(w3, 3_600) >= start + 3_600
    assert mine(w3, start + 10_000) == start + 10_000


def test_dev_accounts_are_anvils_funded_accounts(w3: Web3) -> None:
    (first,) = dev_accounts(1)
    assert first.address == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    assert w3.eth.get_balance(first.address) > 0


def test_a_custom_error_is_decoded_with_its_argument_names() -> None:
    selector = function_signature_to_4byte_selector("StaleRevision(uint256,uint32,uint32)")
    error = decode_revert(
        ELECTION_ABI, selector + encode(["uint256", "uint32", "uint32"], [7, 1, 2])
    )
    assert (error.name, error.values) == (
        "StaleRevision",
        {"nullifier": 7, "given": 1, "stored": 2},
    )
    assert str(error) == "StaleRevision(nullifier=7, given=1, stored=2)"


def test_revert_strings_panics_and_unknown_data_are_reported_not_raised() -> None:
    reason = function_signature_to_4byte_selector("Error(string)") + encode(["string"], ["no"])
    panic = function_signature_to_4byte_selector("Panic(uint256)") + encode(["uint256"], [0x11])
    assert decode_revert(ELECTION_ABI, reason).values == {"reason": "no"}
    assert decode_revert(ELECTION_ABI, panic).values == {"code": 0x11}
    assert decode_revert(ELECTION_ABI, b"\xde\xad\xbe\xef").values == {"data": "0xdeadbeef"}
    assert decode_revert(ELECTION_ABI, None).name == "UnknownRevert"


def test_an_address_without_an_election_is_refused(
    w3: Web3, libraries: Libraries, accounts: list[LocalAccount]
) -> None:
    for address in (libraries.verifier, accounts[5].address):
        with pytest.raises(NotAnElection, match=address):
            ElectionContract(w3, address)


def test_linking_needs_every_library() -> None:
    election = load_artifact("Election")
    with pytest.raises(ArtifactError, match="needs library PoseidonT3"):
        election.linked_bytecode({})
    with pytest.raises(ArtifactError, match="invalid address"):
        election.linked_bytecode({"PoseidonT3": "0x1234"})
    linked = link(election.bytecode, election.link_references, {"PoseidonT3": "0x" + "ab" * 20})
    assert "__$" not in linked and "ab" * 20 in linked


def test_a_missing_artifact_is_a_clear_error() -> None:
    with pytest.raises(ArtifactError, match=r"no artifact .*Nope\.json"):
        load_artifact("Nope")
